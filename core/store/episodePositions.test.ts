import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import { EpisodeStore } from "./episodeStore.ts";
import { episodeRow } from "../../test/support/episodeRows.ts";

const episode = (conversationId: string, seq: number) =>
  episodeRow(conversationId, seq, `${conversationId} turn ${seq} about walnuts`);

test("turns read by position are exactly the turns asked for, whatever the search hits' addresses suggest", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-positions-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const db = await Database.open({ directory });
  t.after(() => db.dispose());
  const store = await EpisodeStore.open(db);
  // Two conversations written turn by turn in turns, so the row after a turn belongs to the other conversation, and
  // a turn removed from the middle of one (a replaced reply) shifts every row after it.
  for (let seq = 0; seq < 12; seq += 1) {
    await store.append([episode("a", seq)]);
    await store.append([episode("b", seq)]);
  }
  await store.deleteByIds(["a-4"]);
  const hits = await store.fullText("text", "walnuts", 100);
  assert.equal(hits.length, 23);
  const hints = hits
    .filter((hit) => hit.seq % 3 === 0)
    .map((hit) => ({ conversationId: hit.conversationId, seq: hit.seq, rowId: hit._rowid }));
  // A hint that names a real row at the wrong position must not pass that row off as the one asked for.
  hints.push({ conversationId: "a", seq: 7, rowId: hits.find((hit) => hit.id === "b-2")!._rowid });

  const wanted = new Map([
    ["a", [2, 3, 4, 5, 6, 7, 8, 13]],
    ["b", [0, 1, 5, 11]],
  ]);
  const rows = await store.atPositions(wanted, hints);
  const read = rows.map((row) => row.id).sort();
  // a-4 was removed and a-13 never existed: asking for them is harmless and returns nothing.
  assert.deepEqual(read, ["a-2", "a-3", "a-5", "a-6", "a-7", "a-8", "b-0", "b-1", "b-11", "b-5"]);
  for (const row of rows) assert.equal(row.text, `${row.conversationId} turn ${row.seq} about walnuts`);
  assert.deepEqual((await store.atPositions(wanted)).map((row) => row.id).sort(), read, "the same without hints");
});
