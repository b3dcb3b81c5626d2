/**
 * The console's Content-Security-Policy: scripts only from the app itself, no eval, no inline
 * script, no remote anything. Inline *styles* are allowed because Mantine writes its theme
 * variables into a <style> element at run time; style injection cannot run code.
 * src/renderer/index.html carries the same policy in its meta tag (a test keeps them equal).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
