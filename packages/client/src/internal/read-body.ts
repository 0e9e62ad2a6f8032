// Reading an answer's body with a cap on its size, counted after decompression while it
// streams in, so memory stays bounded whatever the server sends.

/** Thrown by readBody when the body passes the cap; the stream has been cancelled. */
export class TooLarge extends Error {}

/**
 * Reads the whole body as text (UTF-8), or throws TooLarge as soon as more than `maxBytes`
 * have arrived (or a `Content-Length` announces more). Other failures of the stream
 * (a reset socket, a corrupt gzip, an abort) are thrown as the stream reports them.
 */
export async function readBody(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) {
    return "";
  }
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    void body.cancel().catch(() => {});
    throw new TooLarge();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) {
    return decoder.decode(chunks[0]);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(all);
}

const decoder = new TextDecoder();
