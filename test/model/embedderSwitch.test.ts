/**
 * Switching embedder: the memories are re-embedded in the background with progress, recall is lexical until the new
 * embedder's vectors cover every turn, and a restart in the middle carries on where it stopped.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import type { Embedder } from "../../core/model/interfaces.ts";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";

/** A second embedder with its own id (so its own vector table) that also knows "canine" means "dog". */
function otherEmbedder(): Embedder & { calls: number } {
  const inner = new HashingEmbedder({ puppy: "dog", canine: "dog" });
  return {
    id: "other-test-embedder",
    dimensions: inner.dimensions,
    get calls() {
      return inner.calls;
    },
    embed: (texts) => inner.embed(texts),
  };
}

const turns = [
  { speaker: "user", text: "We adopted a puppy last spring." },
  { speaker: "user", text: "The weather was lovely in Porto." },
  { speaker: "user", text: "My sister bought a new car." },
];

test("a new embedder re-embeds every turn in the background; recall is lexical until it is done", async (t) => {
  const models = new ScriptedModelService(null, new HashingEmbedder());
  const { engine } = await openTempEngine(t, { models });
  const { episodeIds } = await engine.call("memory.ingest", { turns });
  await engine.drainJobs();
  const progress: EventPayload<"jobs.progress">[] = [];
  engine.events.on("jobs.progress", (event) => progress.push(event));

  const replacement = otherEmbedder();
  models.embedding = replacement;
  // The old embedder does not know the synonym and the new one has embedded nothing yet: lexical recall only.
  const before = await engine.call("memory.search", { query: "canine" });
  assert.equal(before.hits.length, 0);
  assert.equal(replacement.calls, 0, "no vector search against an empty table");
  assert.equal((await engine.call("stats.get", {})).embedder, "other-test-embedder");

  await engine.drainJobs();
  const reembed = progress.filter((event) => event.kind === "reembed");
  assert.deepEqual(reembed.at(-1), { kind: "reembed", done: 3, total: 3 });
  assert.ok(
    reembed.some((event) => event.done < 3),
    "progress starts before the end",
  );
  const after = await engine.call("memory.search", { query: "canine" });
  assert.equal(after.hits[0]?.id, episodeIds[0], "the new embedder's vectors now serve recall");
});

test("a re-embedding interrupted by a restart resumes and finishes", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-reembed-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const first = await Engine.open({ dataDir, runJobs: false, models: new ScriptedModelService(null, null) });
  await first.call("memory.ingest", { turns });
  await first.dispose();

  // Started again with an embedder: the turns stored without one are queued for embedding (a persisted job).
  const second = await Engine.open({
    dataDir,
    runJobs: false,
    models: new ScriptedModelService(null, otherEmbedder()),
  });
  assert.equal((await second.call("memory.search", { query: "canine" })).hits.length, 0);
  assert.ok((await second.call("stats.get", {})).pendingJobs >= 1);
  await second.dispose();

  const embedder = otherEmbedder();
  const third = await Engine.open({ dataDir, runJobs: false, models: new ScriptedModelService(null, embedder) });
  t.after(() => third.dispose());
  await third.drainJobs();
  assert.ok(embedder.calls >= 1);
  const { hits } = await third.call("memory.search", { query: "canine" });
  assert.match(hits[0]?.text ?? "", /puppy/);
});
