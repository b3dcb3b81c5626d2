/**
 * The document the HTML preview frame shows. The frame is sandboxed without scripts (see
 * HtmlPreview); this adds the mail's own Content-Security-Policy as the first thing in its head,
 * so nothing it contains can load from the network unless the user allowed remote content.
 * Inline images (cid:) arrive as data: URIs. A policy the mail brings itself can only narrow this one.
 */
export function previewDocument(html: string, allowRemote: boolean): string {
  const remote = allowRemote ? ' https: http:' : '';
  const policy = [
    "default-src 'none'",
    `img-src data:${remote}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    `media-src data:${remote}`,
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<base target="_blank">',
    '<style>body{margin:8px;font-family:sans-serif;overflow-wrap:anywhere}</style>',
    `</head><body>${html}</body></html>`,
  ].join('');
}
