/** Per-call options, the second argument of every method. */
export interface CallOptions {
  /** Aborts the call, whatever it is doing (sending, waiting for a retry or for a rate-limit slot). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call: 1 to 2 147 483 647 ms. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call: an integer from 0 to 10. */
  maxRetries?: number | undefined;
}
