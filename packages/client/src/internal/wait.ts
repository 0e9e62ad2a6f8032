import { AbortError } from "../errors.js";

export const abortError = (signal: AbortSignal | undefined): AbortError =>
  new AbortError("Aborted by the signal", { cause: signal?.reason });

/**
 * Waits `ms`, or rejects with AbortError as soon as `signal` aborts. The callers check
 * `signal.aborted` first: an already-aborted signal fires no abort event.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
