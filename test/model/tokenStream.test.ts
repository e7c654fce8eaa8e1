/** Streaming from the model host: the first piece goes out at once, a fast burst is coalesced, nothing is lost. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenStream } from "../../core/model/tokenStream.ts";

test("the first piece is sent at once; a burst is coalesced and flushed in order before the end", () => {
  const sent: string[] = [];
  // An interval no test machine can overrun, so the burst below certainly falls inside it.
  const stream = new TokenStream((text) => sent.push(text), 60_000);
  stream.push("Once");
  assert.deepEqual(sent, ["Once"], "time to first token is not delayed");
  for (const piece of [" upon", " a", " time"]) stream.push(piece);
  assert.deepEqual(sent, ["Once"]);
  stream.flush();
  assert.deepEqual(sent, ["Once", " upon a time"]);
  stream.flush();
  assert.equal(sent.length, 2, "an empty flush sends nothing");
});

test("pieces further apart than the interval are sent one by one", async () => {
  const sent: string[] = [];
  const stream = new TokenStream((text) => sent.push(text), 1);
  for (const piece of ["a", "b", "c"]) {
    stream.push(piece);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  stream.flush();
  assert.deepEqual(sent, ["a", "b", "c"]);
});
