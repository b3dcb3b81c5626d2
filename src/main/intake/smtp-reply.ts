import type { ActivityCategory } from '@shared/domain/activity';

/**
 * An SMTP refusal as data: reply code, enhanced status code and a text that tells the sender
 * what to do. smtp-server sends `responseCode` and `message`; the enhanced-status patch keeps
 * our enhanced code instead of its generic one. `category` names the activity log's category
 * where the codes alone would not tell it (activity/categories.ts decides the others).
 */
export class SmtpReply extends Error {
  readonly responseCode: number;
  readonly enhancedStatus: string;
  readonly text: string;
  readonly category: ActivityCategory | undefined;

  constructor(responseCode: number, enhancedStatus: string, text: string, category?: ActivityCategory) {
    super(`${enhancedStatus} ${text}`);
    this.name = 'SmtpReply';
    this.responseCode = responseCode;
    this.enhancedStatus = enhancedStatus;
    this.text = text;
    this.category = category;
  }

  override toString(): string {
    return `${this.responseCode} ${this.message}`;
  }
}

export const smtpReply = (code: number, enhanced: string, text: string, category?: ActivityCategory) =>
  new SmtpReply(code, enhanced, text, category);
