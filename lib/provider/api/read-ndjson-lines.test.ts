import { describe, expect, it } from "vitest";
import { LineTooLongError, MAX_NDJSON_LINE_LENGTH, readNdjsonLines } from "./read-ndjson-lines";

/** A body arriving in the given chunks, as a slow client sends it. */
function streamOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function linesOf(stream: ReadableStream<Uint8Array> | null): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readNdjsonLines(stream)) lines.push(line);
  return lines;
}

describe("reading an NDJSON body line by line", () => {
  it("joins lines split across chunks and keeps blank lines, so numbers are the file's", async () => {
    expect(await linesOf(streamOf('{"a":', '1}\n\n{"b"', ':2}\r\n{"c":3}'))).toEqual([
      '{"a":1}',
      "",
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it("reads nothing from an empty or absent body, and no extra line after the last newline", async () => {
    expect(await linesOf(null)).toEqual([]);
    expect(await linesOf(streamOf(""))).toEqual([]);
    expect(await linesOf(streamOf("x\n"))).toEqual(["x"]);
  });

  it("decodes a character split across chunks", async () => {
    const bytes = new TextEncoder().encode('"Wiśniewski"\n');
    expect(await linesOf(streamOf(bytes.slice(0, 4), bytes.slice(4)))).toEqual(['"Wiśniewski"']);
  });

  it("refuses a line over the limit with its number, without waiting for its end", async () => {
    const long = "x".repeat(MAX_NDJSON_LINE_LENGTH + 1);
    await expect(linesOf(streamOf("ok\n", long, "never read"))).rejects.toEqual(new LineTooLongError(2));
    await expect(linesOf(streamOf("ok\n", `${long}\nnext\n`))).rejects.toMatchObject({ line: 2 });
    expect(await linesOf(streamOf(`${"x".repeat(MAX_NDJSON_LINE_LENGTH)}\n`))).toHaveLength(1);
  });
});
