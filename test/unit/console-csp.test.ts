import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONSOLE_CSP, CONSOLE_CSP_META } from '@shared/csp';
import { describe, expect, it } from 'vitest';

describe('console content security policy', () => {
  it('is the same in index.html (Electron loads it from file://) as in the HTTP header, less frame-ancestors', () => {
    const html = readFileSync(resolve(__dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONSOLE_CSP_META);
    expect(CONSOLE_CSP).toBe(`${CONSOLE_CSP_META}; frame-ancestors 'none'`);
  });

  it('allows scripts only from the app itself: no inline script, no eval, no remote origin', () => {
    const scriptSrc = CONSOLE_CSP.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval|\*/);
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
  });

  it('lets remote origins only into images (a mail preview the user allowed), never scripts, styles, fonts or connections', () => {
    const remote = CONSOLE_CSP.split('; ').filter((d) => /https?:/.test(d));
    expect(remote).toEqual(["img-src 'self' data: https: http:"]);
  });
});
