import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';
import type { ApiError } from '@shared/api/errors';
import serveStatic from 'serve-static';
import { sendError, sendJson } from './http-response';

/** What serving one path came to when serve-static did not send a file. */
type Outcome = { sent: true } | { sent: false; status: number; error?: Error };

export type StaticFiles = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>;

/**
 * The built console (out/renderer) through serve-static, which decodes and checks the path (400
 * for a malformed one, 403 for `..`, 404 for dotfiles and what is not there), answers HEAD and
 * conditional requests. `/assets/` files carry a hash in their name and are cached for good;
 * index.html is revalidated each time. A path that is not a file and not under /assets/ gets
 * index.html, so a console route (`/messages/…`) survives a reload.
 */
export function staticFiles(dir: string | undefined): StaticFiles {
  const root = dir && existsSync(dir) ? resolve(dir) : undefined;
  if (!root) {
    return async (req, res) =>
      sendError(req, res, {
        code: 'not_found',
        message: 'The console is not built: run `npm run build`, then start Relaydesk again.',
      });
  }
  const assets = `${root}${sep}assets${sep}`;
  const serve = serveStatic(root, {
    fallthrough: false,
    redirect: false,
    cacheControl: false,
    setHeaders: (res: ServerResponse, path: string) => {
      res.setHeader(
        'Cache-Control',
        path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  const serveOnce = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<Outcome>((done) => {
      res.once('close', () => done({ sent: true }));
      serve(req, res, (err) => {
        const status = (err as { status?: number } | undefined)?.status ?? 404;
        done(err && status >= 500 ? { sent: false, status, error: err } : { sent: false, status });
      });
    });

  return async (req, res, pathname) => {
    let outcome = await serveOnce(req, res);
    const underAssets = pathname === '/assets' || pathname.startsWith('/assets/');
    if (!outcome.sent && outcome.status === 404 && !underAssets && !res.headersSent) {
      req.url = '/index.html';
      outcome = await serveOnce(req, res);
    }
    if (outcome.sent) return;
    if (outcome.error) {
      if (res.headersSent) res.destroy(outcome.error);
      throw outcome.error;
    }
    const error = staticError(outcome.status, pathname);
    if (outcome.status === 412 || outcome.status === 416)
      sendJson(req, res, outcome.status, { ok: false, error });
    else sendError(req, res, error);
  };
}

function staticError(status: number, pathname: string): ApiError {
  const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
  if (status === 412 || status === 416)
    return {
      code: 'invalid_params',
      message: `The conditions or range of this request cannot be met for ${shown}; ask for the whole file.`,
    };
  if (status === 400)
    return { code: 'invalid_params', message: `The path ${shown} is not a valid URL path.` };
  if (status === 403)
    return { code: 'forbidden', message: `The path ${shown} points outside the console's files.` };
  return {
    code: 'not_found',
    message: `There is no console file ${shown}; reload the console (it may have been updated).`,
  };
}
