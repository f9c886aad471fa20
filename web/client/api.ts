// The dashboard's only way to the data: the server's API with the token the person signed in with
// (kept for the browser tab only), and its event stream read over fetch, because EventSource
// cannot send an Authorization header.
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) { super(message); this.status = status; }
}

const KEY = 'marque-token';
export const token = { get: () => sessionStorage.getItem(KEY), set: (t: string) => sessionStorage.setItem(KEY, t), clear: () => sessionStorage.removeItem(KEY) };

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token.get() ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try { detail = (JSON.parse(text) as { detail?: string }).detail ?? text; } catch { /* not problem+json */ }
    throw new ApiError(res.status, detail);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Server-Sent Events from /events/stream; calls onEvent for each, reconnects after a pause. Returns a stop function. */
export function followEvents(onEvent: (e: { id: string; kind: string; data: Record<string, unknown> }) => void, onState: (live: boolean) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let last = '';
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await fetch('/api/v1/events/stream?from=now', { headers: { authorization: `Bearer ${token.get() ?? ''}`, accept: 'text/event-stream', ...(last ? { 'last-event-id': last } : {}) }, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const field = (name: string) => block.split('\n').filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim()).join('\n');
            const data = field('data');
            if (!data) continue;
            last = field('id') || last;
            try { onEvent({ id: last, kind: field('event') || 'message', data: JSON.parse(data) as Record<string, unknown> }); } catch { /* a comment or keep-alive */ }
          }
        }
      } catch { /* the stream broke: wait, then reconnect */ }
      onState(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 3000));
    }
  };
  void run();
  return () => { stopped = true; controller?.abort(); };
}
