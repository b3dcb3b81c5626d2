/** One line per lifecycle event with stable keys: `accepted msg=… conn=… rcpts=… size=…`. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

function format(level: string, event: string, fields: Record<string, unknown> = {}): string {
  const parts = [new Date().toISOString(), level, event];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const s = String(v);
    parts.push(`${k}=${/[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s}`);
  }
  return parts.join(' ');
}

export function lineLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  return {
    info: (e, f) => write(format('info', e, f)),
    warn: (e, f) => write(format('warn', e, f)),
    error: (e, f) => write(format('error', e, f)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
