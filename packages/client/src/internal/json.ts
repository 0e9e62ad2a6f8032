// JSON from a server, parsed only when it is shaped like an answer of this API: nested at
// most a few dozen levels. A hostile body nested a million levels deep costs one linear scan,
// not a parse that takes the event loop for a noticeable time.

/** No answer of the API nests deeper than a few levels; past this a body is not parsed. */
const MAX_DEPTH = 64;

/** The value of a JSON text, or undefined when it is not JSON or nests past 64 levels. */
export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) {
        i++;
      } else if (c === 34 /* " */) {
        inString = false;
      }
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_DEPTH) {
        return undefined;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
