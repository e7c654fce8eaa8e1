import { test } from "node:test";
import assert from "node:assert/strict";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";

test("with an embedder, turns are embedded in the background and recall fuses vector similarity", async (t) => {
  const embedder = new HashingEmbedder({ puppy: "dog", canine: "dog", doggo: "dog" });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(null, embedder) });
  const { episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "We adopted a puppy last spring." },
      { speaker: "user", text: "The weather was lovely in Porto." },
      { speaker: "user", text: "My sister bought a new car." },
    ],
  });
  // Before the embed job ran, lexical recall serves alone: no word of the query is in the puppy turn.
  assert.ok(!(await engine.call("memory.search", { query: "canine doggo" })).hits.some((h) => h.id === episodeIds[0]));
  await engine.drainJobs();
  const { hits } = await engine.call("memory.search", { query: "canine doggo" });
  assert.equal(hits[0]?.id, episodeIds[0], "the vector list finds the puppy turn");
  assert.equal((await engine.call("stats.get", {})).embedder, "hashing-test-embedder");
});
