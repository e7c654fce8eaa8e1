import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/**
 * The lines of a text stream, one at a time (a file of any size, at the memory of one line), without a leading
 * byte-order mark and with Windows line ends handled.
 */
export async function* textLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding("utf8");
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    yield first && line.startsWith("\uFEFF") ? line.slice(1) : line;
    first = false;
  }
}
