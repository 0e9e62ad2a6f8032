/**
 * @helpcrunch-chats/client/raw: the plain openapi-fetch client of the spec, for callers who
 * prefer `{ data, error }` results and openapi-fetch's middleware. It shares the options'
 * rules (key, base URL, `fetch`) with `createHelpCrunchClient`, but none of its validation,
 * retries, rate limit, timeouts or answer cap. Kept apart so that the main entry does not
 * carry openapi-fetch's whole client.
 *
 * ```ts
 * import { createRawClient } from "@helpcrunch-chats/client/raw";
 * const raw = createRawClient({ apiKey });
 * const { data, error } = await raw.PUT("/chats/status", { body: { id: 542335, status: "closed" } });
 * ```
 */
import type { paths } from "@helpcrunch-chats/types";
import createClient, { type Client } from "openapi-fetch";
import { parseClientOptions } from "./internal/options.js";

/** Options of {@link createRawClient}: the connection options of the main client. */
export interface RawClientOptions {
  /** Your HelpCrunch API key. Defaults to the `HELPCRUNCH_API_KEY` environment variable. */
  apiKey?: string | undefined;
  /** Root URL of the API. Default `https://api.helpcrunch.com/v1`; plain http only for loopback hosts. */
  baseUrl?: string | undefined;
  /** The `fetch` to send requests with. Default: the global `fetch`, looked up at each call. */
  fetch?: typeof fetch | undefined;
}

/** The openapi-fetch client typed by the spec's `paths`. */
export type RawClient = Client<paths, "application/json">;

/** Creates the openapi-fetch client; throws a ValidationError naming each bad option. */
export function createRawClient(options?: RawClientOptions): RawClient {
  const { apiKey, baseUrl, fetch: userFetch } = parseClientOptions(options);
  return createClient<paths, "application/json">({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
    redirect: "manual",
    fetch: (request) => (userFetch ?? globalThis.fetch)(request),
  });
}
