/** The longest line an import takes, in characters; an account or a service is a few hundred. */
export const MAX_NDJSON_LINE_LENGTH = 64 * 1024;

/** Thrown by readNdjsonLines for a line over MAX_NDJSON_LINE_LENGTH: the stream is not read further. */
export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`Line ${line} is longer than ${MAX_NDJSON_LINE_LENGTH} characters.`);
  }
}

/**
 * The lines of a streamed body, one at a time as the bytes arrive: memory holds one chunk and one
 * line, whatever the body's size. Every line is yielded, blank ones too, so the core's line numbers
 * are the file's; `\r\n` ends a line as `\n` does; a last line without a newline counts. Bytes that
 * are not UTF-8 become U+FFFD, which the line's JSON then refuses or keeps as text.
 */
export async function* readNdjsonLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let line = 0;
  const finish = (text: string) => {
    line++;
    if (text.length > MAX_NDJSON_LINE_LENGTH) throw new LineTooLongError(line);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      yield finish(pending.slice(start, newline));
      start = newline + 1;
      newline = pending.indexOf("\n", start);
    }
    pending = pending.slice(start);
    // A line still open past the limit is refused now, before more of it is held.
    if (pending.length > MAX_NDJSON_LINE_LENGTH) throw new LineTooLongError(line + 1);
  }
  pending += decoder.decode();
  if (pending !== "") yield finish(pending);
}
