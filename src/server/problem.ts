// An HTTP error the API answers with RFC 9457 problem details.
export class HttpProblem extends Error {
  readonly status: number;
  /** Extension members (RFC 9457 §3.2), e.g. which limit refused the request. */
  readonly members: Record<string, unknown>;
  /** Headers sent with the problem (Retry-After). */
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, members: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message); this.status = status; this.members = members; this.headers = headers;
  }
}
