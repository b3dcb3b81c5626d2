import type { MethodName, ResultOf } from '@shared/api/contract';
import { AppError, type Result, toApiError } from '@shared/api/errors';
import { isMethodName } from '@shared/api/methods';
import { fieldErrors, type ParsedParamsOf, paramSchemas } from '@shared/api/schemas';
import type { Logger } from '../engine/logger';

export type Handlers = {
  [M in MethodName]: (params: ParsedParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
};

export type Dispatch = (method: string, params: unknown) => Promise<Result<unknown>>;

/**
 * The one entry both transports call: checks the method name, validates params against the
 * contract's schema, runs the handler, and turns every failure into `{code, message}` data.
 */
export function createDispatch(
  handlers: Handlers,
  log: Logger,
  onUnexpected: (error: unknown) => void = () => {},
): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          code: 'unknown_method',
          message: `There is no method "${method}"; see docs/api.md for the list.`,
        },
      };
    }
    const parsed = paramSchemas[method].safeParse(params ?? {});
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      const summary = Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ');
      return {
        ok: false,
        error: { code: 'invalid_params', message: `Invalid params for ${method}: ${summary}`, fields },
      };
    }
    try {
      const handler = handlers[method] as (p: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (!(err instanceof AppError)) {
        log.error('api-error', { method, error: (err as Error).stack ?? String(err) });
        onUnexpected(err);
      }
      return { ok: false, error: toApiError(err) };
    }
  };
}
