import type { Readable } from "node:stream";
import streamArray from "stream-json/streamers/stream-array.js";
import { BadInputError } from "../errors.ts";

/**
 * The elements of a JSON document's top-level array, one at a time, parsed by stream-json: a 200 MB export is read
 * at the memory of its largest element. A document that is not an array, or not complete JSON (a truncated download),
 * fails with a BadInputError naming the file kind and how far it got.
 */
export async function* jsonArrayItems(input: Readable, what: string): AsyncGenerator<unknown> {
  let bytes = 0;
  input.on("data", (chunk: Buffer | string) => {
    bytes += chunk.length;
  });
  // Packed values only: the streamed chunks of every string would triple the tokens for nothing.
  const items = input.pipe(streamArray.withParserAsStream({ streamValues: false }));
  // A read failure (a missing file) reaches the parser's consumer too.
  input.on("error", (error) => items.destroy(error));
  let count = 0;
  try {
    for await (const item of items as AsyncIterable<{ value: unknown }>) {
      count += 1;
      yield item.value;
    }
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (bytes === 0) throw new BadInputError(`${what} is empty.`);
    if (/top-level object should be an array/i.test(reason)) {
      throw new BadInputError(`${what} should be a list of conversations, but its top level is not a JSON array.`);
    }
    if (/^Parser/.test(reason)) {
      throw new BadInputError(
        `${what} is not complete JSON (cut short or damaged) after ${count} conversation${count === 1 ? "" : "s"}: ${reason}.`,
      );
    }
    throw error;
  } finally {
    // Stopped early (the file was refused) or done: the file is closed either way.
    input.destroy();
  }
}
