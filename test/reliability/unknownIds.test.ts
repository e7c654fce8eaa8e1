/**
 * An id that names nothing changes nothing (found by the fuzz suite: episodes.forget and episodes.restore with
 * unknown ids wrote memory-history entries for them). Checked on the whole export, so any trace would show.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { openTempEngine } from "../support/tempEngine.ts";

test("forgetting or restoring episodes that do not exist leaves the memory exactly as it was", async (t) => {
  const { engine } = await openTempEngine(t);
  const { episodeIds } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "The spare key is under the blue pot." }],
  });
  const exportNow = async () => {
    const { content } = await engine.call("memory.export", { format: "json" });
    const parsed = JSON.parse(content) as Record<string, unknown>;
    delete parsed.exportedAt;
    return parsed;
  };
  const before = await exportNow();
  await Promise.all([
    engine.call("episodes.forget", { ids: ["nothing_1", "nothing_2"] }),
    engine.call("episodes.restore", { ids: ["nothing_3"] }),
    // Restoring a turn that is not archived moves nothing either.
    engine.call("episodes.restore", { ids: episodeIds }),
  ]);
  assert.deepEqual(await exportNow(), before);
  // A real change is still logged.
  assert.equal((await engine.call("episodes.forget", { ids: episodeIds })).archived, 1);
  const history = (
    JSON.parse((await engine.call("memory.export", { format: "json" })).content) as {
      tables: { memory_history: { memoryId: string; action: string }[] };
    }
  ).tables.memory_history;
  assert.deepEqual(
    history.filter((entry) => entry.action === "archive").map((entry) => entry.memoryId),
    episodeIds,
  );
});
