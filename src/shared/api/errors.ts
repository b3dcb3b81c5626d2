/** Stable error codes that cross the contract boundary. Never rename one: clients match on them. */
export const ERROR_CODES = {
  invalid_params: 400,
  unauthorized: 401,
  /** The request is not allowed from where it came (a Host name the console does not answer to). */
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  /** A path was called with the wrong HTTP method (API methods take POST, console files GET). */
  method_not_allowed: 405,
  conflict: 409,
  /** The request body is larger than the method accepts. */
  too_large: 413,
  unavailable: 503,
  internal: 500,
  /** The relay's intake refused a mail handed in from the console (sender, suppression, limit); the message has the SMTP reply. */
  refused: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ApiError {
  code: ErrorCode;
  /** What went wrong and what to do next, in the user's words. */
  message: string;
  /** Field path → message, for invalid_params. */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (fields) this.fields = fields;
  }

  toJSON(): ApiError {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) return err.toJSON();
  return {
    code: 'internal',
    message: 'Relaydesk hit an unexpected error; see its log for details and try again.',
  };
}
