import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyLimitOf } from '@shared/api/body-limits';
import { AppError, httpStatusOf } from '@shared/api/errors';
import { isMethodName } from '@shared/api/methods';
import type { Dispatch } from '../services/dispatch';
import { tokenMatches } from './console-token';
import type { EventStreams } from './event-stream';
import { sendError, sendJson } from './http-response';
import { declaredTooLarge, readBody, tooLarge } from './request-body';

export type ApiRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  expectsContinue: boolean,
) => Promise<void>;

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * `/api/<method>`: token, HTTP method, method name and body limit are checked in that order, each
 * before a byte of the body is read; then the JSON params go to the dispatcher.
 */
export function apiHandler(o: { dispatch: Dispatch; token: string; streams: EventStreams }): ApiRoute {
  return async (req, res, pathname, expectsContinue) => {
    const name = /^\/api\/([A-Za-z.]+)$/.exec(pathname)?.[1];
    if (!name) {
      const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
      return sendError(req, res, {
        code: 'unknown_method',
        message: `No API route ${shown}; use POST /api/<method>.`,
      });
    }
    if (!tokenMatches(o.token, bearer(req))) {
      return sendError(
        req,
        res,
        {
          code: 'unauthorized',
          message:
            'Missing or wrong console token. Open the console URL Relaydesk printed at start, or send "Authorization: Bearer <token>" with the token from <data-dir>/console-token.',
        },
        { 'WWW-Authenticate': 'Bearer realm="relaydesk"' },
      );
    }
    if (name === 'events') {
      if (req.method === 'GET') return o.streams.open(req, res);
      return sendError(
        req,
        res,
        { code: 'method_not_allowed', message: 'Read /api/events with GET.' },
        { Allow: 'GET' },
      );
    }
    if (req.method !== 'POST') {
      return sendError(
        req,
        res,
        { code: 'method_not_allowed', message: `Call ${name} with POST and a JSON body.` },
        { Allow: 'POST' },
      );
    }
    if (!isMethodName(name)) {
      return sendError(req, res, {
        code: 'unknown_method',
        message: `There is no method "${name}"; see docs/api.md for the list.`,
      });
    }
    const limit = bodyLimitOf(name);
    if (declaredTooLarge(req, limit)) return sendError(req, res, tooLarge(limit, name).toJSON());
    if (expectsContinue) res.writeContinue();

    let params: unknown = {};
    try {
      const body = (await readBody(req, limit, name)).toString('utf8');
      if (body.trim()) params = JSON.parse(body);
    } catch (err) {
      if (!(err instanceof AppError) && !(err instanceof SyntaxError)) throw err;
      return sendError(
        req,
        res,
        err instanceof AppError
          ? err.toJSON()
          : {
              code: 'invalid_params',
              message: 'The request body is not valid JSON; send the params as one JSON object.',
            },
      );
    }
    const result = await o.dispatch(name, params);
    if (result.ok) return sendJson(req, res, 200, result);
    sendJson(req, res, httpStatusOf(result.error.code), result);
  };
}
