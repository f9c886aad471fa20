import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const p = await b.newPage({ viewport: { width: Number(process.argv[4] ?? 1280), height: 800 } });
const svg = readFileSync(process.argv[2]!, 'utf8').replace(/<\?xml[^>]*>/, '').replace(/<!DOCTYPE[^>]*>/, '').replace(/<svg width="[^"]*" height="[^"]*"/, '<svg style="width:100%;height:auto"');
await p.setContent(`<html><body style="margin:0">${svg}</body></html>`);
await p.screenshot({ path: process.argv[3]!, fullPage: true });
await b.close();
