import type { MethodName, ResultOf } from '@shared/api/contract';
import type { ParamsOf } from '@shared/api/schemas';
import type { Dispatch } from '../services/dispatch';

/** A contract call that returns the value or throws the contract's error (its message says what to do). */
export type ContractCall = <M extends MethodName>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>;

/** The desktop shell calls the same methods, through the same dispatch, as the console does. */
export function contractCall(dispatch: Dispatch): ContractCall {
  return async (method, params) => {
    const result = await dispatch(method, params);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as never;
  };
}
