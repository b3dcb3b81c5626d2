/**
 * The console's Content-Security-Policy: scripts only from the app itself, no eval, no inline
 * script, no remote connections. Inline *styles* are allowed because Mantine writes its theme
 * variables into a <style> element at run time; style injection cannot run code.
 *
 * Images may come from http(s): the message preview is an about:srcdoc frame, which inherits this
 * policy, and the user may allow a mail's remote images. The frame carries its own stricter policy
 * (see preview-document.ts) that blocks them until then, and is sandboxed without scripts; the
 * console itself never puts remote images on the page.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https: http:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

/**
 * The policy in src/renderer/index.html's meta tag (Electron loads the console from file://,
 * where only the meta tag applies). A meta policy cannot carry frame-ancestors: browsers
 * ignore it there and log an error. A test keeps the tag equal to this.
 */
export const CONSOLE_CSP_META = DIRECTIVES.join('; ');

/** The policy sent as an HTTP header by the headless console and the Electron session. */
export const CONSOLE_CSP = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
