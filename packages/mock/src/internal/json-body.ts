// The front server's judgement of a request body, before anything reaches Prism.

/** Most bytes of request body the mock reads; a larger body is answered 413. */
export const MAX_BODY_BYTES = 1_048_576;
/** Deepest nesting of arrays and objects the mock accepts in a JSON body; deeper is answered 400. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }

/**
 * The deepest nesting of arrays and objects in `bytes`, read as JSON text, stopping as soon as
 * it passes `limit` (returning `limit + 1`). One pass over the bytes, no recursion and no regular
 * expression, so no input can make it slow or overflow a stack. Brackets inside strings do not
 * count. Works on UTF-8 bytes: every byte of a multi-byte character is 0x80 or above, so it is
 * never mistaken for one of the ASCII characters that matter here.
 */
export function jsonNestingDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  for (const byte of bytes) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (byte === BACKSLASH) {
        escaped = true;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) {
          return deepest;
        }
      }
    } else if ((byte === CLOSE_BRACKET || byte === CLOSE_BRACE) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

/** True for a JSON media type: `application/json` or any `+json` type, parameters ignored. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}

/**
 * A content type that names JSON but that Prism's body parser cannot take (a list of types,
 * a stray parameter, a charset other than UTF-8, a broken quote): the front server answers it
 * with a 415 envelope itself, where Prism would fail with a 500 or never answer.
 */
export function isUnreadableJsonType(contentType: string | undefined): boolean {
  return (
    contentType !== undefined &&
    /json/i.test(contentType) &&
    !/^\s*application\/([\w.-]+\+)?json\s*(;\s*charset\s*=\s*("utf-8"|utf-8)\s*)?$/i.test(
      contentType,
    )
  );
}

/** Why a JSON body is refused: the status to answer with and a message saying what is wrong. */
export interface BodyProblem {
  status: number;
  message: string;
}

/**
 * Checks a complete JSON request body: nested no deeper than `maxDepth`, then well-formed.
 * Returns undefined for a body Prism can be given (an empty one too: Prism answers that itself).
 */
export function jsonBodyProblem(
  body: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
): BodyProblem | undefined {
  if (body.length === 0) {
    return undefined;
  }
  if (jsonNestingDepth(body, maxDepth) > maxDepth) {
    return {
      status: 400,
      message: `The request body nests arrays and objects deeper than ${maxDepth} levels.`,
    };
  }
  try {
    JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    return {
      status: 400,
      message: `The request body is not valid JSON: ${(error as Error).message}`,
    };
  }
  return undefined;
}
