// The statuses the API reports are not always the ones it accepts: it reports "onhold",
// "on-hold" or "on hold" for the status a request must spell "on hold", and "empty", which no
// request can set. The accepted values are the spec's, read through its generated validator.
import type { ChatStatus } from "@helpcrunch-chats/types";
import type { ValidationIssue } from "./errors.js";
import { OPERATIONS } from "./generated/operations.js";

const accepted = (status: string): boolean => {
  const issues: ValidationIssue[] = [];
  OPERATIONS.updateStatus.validate({ id: 1, status }, issues);
  return !issues.length;
};

/**
 * The value a request accepts for a status the API reported (`chat.status`), or undefined
 * when the reported status has none (`"empty"`, `null`, anything unknown). Case, hyphens,
 * underscores and spacing do not matter: `"onhold"`, `"on-hold"` and `"On Hold"` all give
 * `"on hold"`.
 *
 * ```ts
 * const status = toChatStatus(chat.status);
 * if (status) await hc.chats.updateStatus({ id: chat.id, status });
 * ```
 */
export function toChatStatus(reported: unknown): ChatStatus | undefined {
  if (typeof reported !== "string" || reported.length > 40) {
    return undefined;
  }
  const words = reported
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
  const compact = words.replace(/ /g, "");
  // The words as given, or the compact form split once: "onhold" is "on hold".
  const candidates = [words, compact];
  for (let i = 1; i < compact.length; i++) {
    candidates.push(`${compact.slice(0, i)} ${compact.slice(i)}`);
  }
  return candidates.find(accepted) as ChatStatus | undefined;
}
