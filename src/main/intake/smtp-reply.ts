/**
 * An SMTP refusal as data: reply code, enhanced status code and a text that tells the sender
 * what to do. smtp-server sends `responseCode` and `message`; the enhanced-status patch keeps
 * our enhanced code instead of its generic one.
 */
export class SmtpReply extends Error {
  readonly responseCode: number;
  readonly enhancedStatus: string;
  readonly text: string;

  constructor(responseCode: number, enhancedStatus: string, text: string) {
    super(`${enhancedStatus} ${text}`);
    this.name = 'SmtpReply';
    this.responseCode = responseCode;
    this.enhancedStatus = enhancedStatus;
    this.text = text;
  }

  override toString(): string {
    return `${this.responseCode} ${this.message}`;
  }
}

export const smtpReply = (code: number, enhanced: string, text: string) =>
  new SmtpReply(code, enhanced, text);
