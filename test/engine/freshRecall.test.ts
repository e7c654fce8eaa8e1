/**
 * Recall on a new memory. LanceDB 0.31 scores the rows its full-text index does not cover yet with the index's
 * statistics, and Engram's index is made on an empty table: until core/store/tableHandle.ts kept the index covering
 * most rows, a rare word counted for less than a common one there, so a question that shared a common word with many
 * turns lost the one turn it asked about below them (LoCoMo R@5 fell from 0.67 to 0.29).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";

const chatter = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    speaker: i % 2 === 0 ? "user" : "assistant",
    text: `We talked about the trip again, note ${from + i}.`,
  }));

test("a turn told to a new memory is found by its rare words, above many turns that share a common one", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-fresh-recall-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const engine = await Engine.open({ dataDir, runJobs: false });
  t.after(() => engine.dispose());

  // Sessions ingested one after another, and two sent together, as a chat and an import would.
  const { conversationId } = await engine.call("memory.ingest", { turns: chatter(100) });
  await Promise.all([1, 2].map((i) => engine.call("memory.ingest", { conversationId, turns: chatter(100, i * 100) })));
  const { episodeIds } = await engine.call("memory.ingest", {
    conversationId,
    turns: [{ speaker: "user", text: "I researched adoption agencies last week." }, ...chatter(10, 300)],
  });
  const { hits } = await engine.call("memory.search", {
    query: "Which agencies did I research before the trip?",
    limit: 5,
  });
  assert.equal(hits[0]?.id, episodeIds[0], "the turn about researching agencies ranks first");
});

test("a memory holding a single turn finds it by a word it holds", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-fresh-recall-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const engine = await Engine.open({ dataDir, runJobs: false });
  t.after(() => engine.dispose());
  const { episodeIds } = await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Dogs dogs." }] });
  const { hits } = await engine.call("memory.search", { query: "dogs" });
  assert.deepEqual(
    hits.map((hit) => hit.id),
    episodeIds,
  );
});
