// The promise every method returns: its data, and on demand the HTTP answer with it.
import type { APIPromise, WithResponse } from "../call-options.js";

export const dataOf = <T>(result: WithResponse<T>): T => result.data;

/**
 * The promise of a call's data, with `withResponse()` giving `{ data, response }`. A caller
 * who uses `withResponse()` never awaits the data promise: its rejection is marked handled
 * then, so a failed call is reported once, where it is awaited.
 */
export function withResponse<T>(call: Promise<WithResponse<T>>): APIPromise<T> {
  const data = call.then(dataOf);
  return Object.assign(data, {
    withResponse: () => {
      data.catch(() => {});
      return call;
    },
  });
}
