import { AbortError } from "../errors.js";

/** The error of a call its signal aborted; `label` names the call (`get (GET /chats/{id})`). */
export const abortError = (signal: AbortSignal | undefined, label?: string): AbortError =>
  new AbortError(`${label ? `${label}: ` : ""}aborted by the signal`, { cause: signal?.reason });

/** The longest delay one timer can hold (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` (any length: longer waits are slept as a chain of timers), or rejects with
 * AbortError (naming the call `label`) as soon as `signal` aborts. The callers check `signal.aborted` first: an
 * already-aborted signal fires no abort event.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, label?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal, label));
    };
    const arm = (left: number) => {
      timer = setTimeout(
        () => {
          const rest = end - Date.now();
          if (rest > 0 && left > MAX_TIMER_MS) {
            arm(rest);
          } else {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          }
        },
        Math.min(left, MAX_TIMER_MS),
      );
    };
    arm(ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
