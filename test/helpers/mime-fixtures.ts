const HEAD = 'From: shop@example.com\r\nTo: customer@example.org\r\nMIME-Version: 1.0\r\n';

/**
 * A mail whose top multipart holds a text part and then `levels` multiparts inside each other;
 * the innermost holds the text "Bottom text". The top multipart is one level too.
 */
export function deepMail(levels: number, subject = 'Deep'): Buffer {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    open += `Content-Type: multipart/mixed; boundary="level-${i}"\r\n\r\n--level-${i}\r\n`;
    close = `\r\n--level-${i}--\r\n${close}`;
  }
  return Buffer.from(
    `${HEAD}Subject: ${subject}\r\nContent-Type: multipart/mixed; boundary="top"\r\n\r\n` +
      '--top\r\nContent-Type: text/plain\r\n\r\nTop text\r\n' +
      '--top\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="invoice.pdf"\r\n\r\n%PDF-1.4 an invoice\r\n' +
      `--top\r\n${open}Content-Type: text/plain\r\n\r\nBottom text${close}\r\n--top--\r\n`,
  );
}

/** A multipart/mixed mail with `parts` small attachments named part-<n>.bin. */
export function wideMail(parts: number, subject = 'Wide'): Buffer {
  let mail = `${HEAD}Subject: ${subject}\r\nContent-Type: multipart/mixed; boundary=w\r\n\r\n`;
  for (let i = 0; i < parts; i++)
    mail += `--w\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=part-${i}.bin\r\n\r\nAAAA\r\n`;
  return Buffer.from(`${mail}--w--\r\n`);
}
