/** Per-call options, the second argument of every method. */
export interface CallOptions {
  /** Aborts the call, whatever it is doing (sending, waiting for a retry or for a rate-limit slot). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call: 1 to 2 147 483 647 ms. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call: an integer from 0 to 10. */
  maxRetries?: number | undefined;
  /**
   * Headers of this call only, over the client's `defaultHeaders` (names are
   * case-insensitive). `Authorization` and `Content-Type` are the client's own and cannot be
   * set; values must be strings without line breaks.
   */
  headers?: Record<string, string> | undefined;
}

/** A call's data together with the HTTP answer it came in (its body already read). */
export interface WithResponse<T> {
  /** What the method resolves to. */
  data: T;
  /** The answer: its `status`, `headers` (a request id among them, when the API sends one) and `url`. */
  response: Response;
}

/** What every method returns: a promise of its data that can also give the HTTP answer. */
export interface APIPromise<T> extends Promise<T> {
  /** The same call, resolving to `{ data, response }` instead of the data alone. */
  withResponse(): Promise<WithResponse<T>>;
}
