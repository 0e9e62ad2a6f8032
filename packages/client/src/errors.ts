import type { ErrorDetail } from "@helpcrunch-chats/types";

/** One field of a request (or a client option) that failed validation before anything was sent. */
export interface ValidationIssue {
  /** The field's name, e.g. `status` or `apiKey`. */
  field: string;
  /** What is wrong with it. */
  message: string;
}

/** Base class of every error this client throws. */
export class HelpCrunchError extends Error {
  /** `details` become the error's own properties (`cause` included). */
  constructor(message: string, details?: object) {
    super(message, details as ErrorOptions);
    Object.assign(this, details);
  }
}

/** Bad input caught before sending: nothing went over the network. */
export class ValidationError extends HelpCrunchError {
  /** Each bad field and what is wrong with it. */
  declare readonly issues: ValidationIssue[];
}

/** The API answered with a status outside 2xx (a redirect included: redirects are not followed). */
export class APIError extends HelpCrunchError {
  /** The HTTP status (0 for an opaque redirect in a browser). */
  declare readonly status: number;
  /** The entries of the error envelope; empty when the body was not an envelope. */
  declare readonly errors: ErrorDetail[];
  /** The response headers. */
  declare readonly headers: Headers;
  /** How long the server asked to wait before repeating the request, when it said so. */
  declare readonly retryAfterMs: number | undefined;
  /** How many requests were sent for this call, the failed one included. */
  declare readonly attempts: number;
}

/** 400: malformed syntax or an invalid attribute value; never retried. */
export class BadRequestError extends APIError {}
/** 401: the API key is missing, malformed or revoked; never retried. */
export class AuthenticationError extends APIError {}
/** 403: the key may not do this; never retried. */
export class PermissionDeniedError extends APIError {}
/** 404: no chat has the given id; never retried. */
export class NotFoundError extends APIError {}
/** 409: the chat's state forbids the change; never retried. */
export class ConflictError extends APIError {}
/** 429: the account's rate limit is spent; `retryAfterMs` is set when the server said. */
export class RateLimitError extends APIError {}
/** 5xx: the API failed. */
export class InternalServerError extends APIError {}

/**
 * A 2xx answer that is not what the spec promises (not JSON, or not a chat); never retried,
 * since the API did act on the request.
 */
export class InvalidResponseError extends HelpCrunchError {
  /** The HTTP status of the answer. */
  declare readonly status: number;
  /** The response headers. */
  declare readonly headers: Headers;
}

/**
 * The answer's body, counted after decompression, passed the client's `maxResponseBytes`:
 * reading stopped there. Never retried.
 */
export class ResponseTooLargeError extends HelpCrunchError {
  /** The HTTP status of the answer. */
  declare readonly status: number;
  /** The response headers. */
  declare readonly headers: Headers;
  /** The `maxResponseBytes` in force. */
  declare readonly maxResponseBytes: number;
}

/**
 * The call would have waited longer than `rateLimit.maxWaitMs` for a rate-limit slot, so it
 * was rejected at once: nothing was sent.
 */
export class RateLimitWaitError extends HelpCrunchError {
  /** How long the call would have waited for its slot, in milliseconds. */
  declare readonly waitMs: number;
}

/** The request failed on the network (refused, reset, DNS) before a full answer arrived. */
export class ConnectionError extends HelpCrunchError {
  /** How many requests were attempted for this call. */
  declare readonly attempts: number;
}

/** No full answer arrived within `timeoutMs` (per attempt). */
export class TimeoutError extends HelpCrunchError {
  /** How many requests were attempted for this call. */
  declare readonly attempts: number;
}

/** The caller's `signal` aborted the call. */
export class AbortError extends HelpCrunchError {}

// Each class's name ("NotFoundError") on its prototype, spelled out, so that `error.name`,
// stack traces and logs say which error it is even after a consumer's minifier has renamed
// the classes themselves.
for (const [name, ErrorClass] of Object.entries({
  HelpCrunchError,
  ValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  InvalidResponseError,
  ResponseTooLargeError,
  RateLimitWaitError,
  ConnectionError,
  TimeoutError,
  AbortError,
})) {
  ErrorClass.prototype.name = name;
}
