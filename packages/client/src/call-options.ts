/** Per-call options, the second argument of every method. */
export interface CallOptions {
  /** Aborts the call, whatever it is doing (sending, waiting for a retry or for a rate-limit token). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
}
