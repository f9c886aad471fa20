// The dossier printed to PDF (A4) by a headless Chromium already on the machine (Debian's
// "chromium", or $MARQUE_CHROMIUM): Marque never downloads a browser.
import { existsSync } from 'node:fs';
import { InputError } from '../util/errors.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath(): string | undefined {
  const env = process.env['MARQUE_CHROMIUM'];
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new InputError('PDF needs Chromium on this machine (apt install chromium, or set MARQUE_CHROMIUM); the HTML dossier prints to PDF from any browser', 'chromium');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage();
    // The page is self-contained: nothing may be fetched while it renders.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as { marqueReady?: boolean }).marqueReady === true, null, { timeout: 10_000 });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
