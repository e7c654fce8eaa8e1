/**
 * A data folder whose tables a full disk left damaged (a committed delete whose deletion file is empty: see
 * core/store/tableRepair.ts) still opens, with every turn the user gave it findable and listed once, and the job
 * queue resumes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";
import { emptyDeletionFiles } from "../support/fullDiskDamage.ts";

test("Engram starts on tables a full disk damaged, and every turn is found and listed once", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-damaged-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const turns = ["The heron nests by the mill pond.", "My sister Ines moved to Braga.", "The boiler code is 4417."];

  const first = await Engine.open({ dataDir, runJobs: true });
  const { conversationId, episodeIds } = await first.call("memory.ingest", {
    turns: turns.map((text) => ({ speaker: "user", text })),
  });
  await first.drainJobs(); // finished jobs are deleted from the jobs table
  await first.call("episodes.forget", { ids: [episodeIds[1]!] }); // moved: deleted from the hot tier
  const late = await first.call("memory.ingest", {
    conversationId,
    turns: [{ speaker: "user", text: "Pick up the kiln glaze." }],
  });
  await first.dispose();
  assert.ok((await emptyDeletionFiles(dataDir, "jobs")) > 0, "the jobs table had deletions");
  assert.ok((await emptyDeletionFiles(dataDir, "episodes")) > 0, "the hot tier had deletions");

  t.mock.method(console, "error", () => undefined);
  const second = await Engine.open({ dataDir, runJobs: true });
  t.after(() => second.dispose());
  for (const [query, id] of [
    ["heron mill pond", episodeIds[0]],
    ["Ines Braga", episodeIds[1]],
    ["boiler code", episodeIds[2]],
    ["kiln glaze", late.episodeIds[0]],
  ] as const) {
    const { hits } = await second.call("memory.search", { query });
    assert.ok(
      hits.some((hit) => hit.id === id),
      `${query}: ${hits.map((hit) => hit.text).join(" | ")}`,
    );
  }
  const { episodes } = await second.call("episodes.list", { conversationId, includeArchived: true, limit: 100 });
  assert.deepEqual(
    episodes.map((episode) => episode.id).sort(),
    [...episodeIds, ...late.episodeIds].sort(),
    "each turn listed once",
  );
  await second.call("memory.ingest", { conversationId, turns: [{ speaker: "user", text: "And it writes again." }] });
  await second.drainJobs();
});
