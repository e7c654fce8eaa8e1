import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";
import { Database } from "../../core/store/database.ts";
import { eq } from "../../core/store/sql.ts";

const day = 86_400_000;
const topics = ["garden", "budget", "train", "recipe", "guitar", "doctor", "library", "puppy"];

/** 601 turns spoken between January and March 2025; turn 300 alone holds "m30x", a few others "marker". */
function history2025() {
  const start = Date.parse("2025-01-02T09:00:00Z");
  return Array.from({ length: 601 }, (_, i) => ({
    speaker: i % 2 === 0 ? "user" : "assistant",
    text:
      i === 300
        ? "I wrote the locker number on the marker m30x label."
        : i % 150 === 7
          ? `The marker pen for the ${topics[i % topics.length]} list ran dry.`
          : `We talked about the ${topics[i % topics.length]} again, note ${i}.`,
    at: new Date(start + i * 3 * 3_600_000).toISOString(),
  }));
}

async function listAll(engine: Engine, conversationId: string) {
  return (await engine.call("episodes.list", { conversationId, includeArchived: true, limit: 1000 })).episodes;
}

test("an imported 2025 history starts fresh, archived turns stay findable, and the prune job racing a forget archives each turn once, across restarts", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-archive-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  let now = Date.parse("2026-06-01T12:00:00Z");
  const clock = () => now;

  // Imported without running jobs: the prune job that 601 turns enqueue is still queued when the app stops.
  const first = await Engine.open({ dataDir, clock, runJobs: false });
  const { conversationId, episodeIds } = await first.call("memory.ingest", { turns: history2025() });
  const marker = episodeIds[300]!;
  await first.dispose();

  // The next start runs the queued prune job with the real queue: nothing was idle long enough to be archived.
  const second = await Engine.open({ dataDir, clock, runJobs: true });
  await second.drainJobs();
  let stats = await second.call("stats.get", {});
  assert.equal(stats.archivedEpisodes, 0, "none of the imported turns is archived on arrival");
  assert.equal(stats.episodes, 601);

  // Forced into the archive, a turn is still found by the word only it holds, marked archived, by search and chat.
  assert.equal((await second.call("episodes.forget", { ids: [marker, ...episodeIds.slice(0, 10)] })).archived, 11);
  const { hits } = await second.call("memory.search", { query: "marker m30x" });
  const found = hits.find((hit) => hit.id === marker);
  assert.ok(found, `found: ${hits.map((hit) => hit.text).join(" | ")}`);
  assert.equal(found.archived, true);
  const forgotten = new Set([marker, ...episodeIds.slice(0, 10)]);
  assert.ok(
    hits.every((hit) => Boolean(hit.archived) === forgotten.has(hit.id)),
    "exactly the archived turns among the hits are marked archived",
  );
  const recall = await second.recallForChat(conversationId, "Where did I write the locker number? m30x");
  assert.ok(
    recall.episodes.some(({ episode }) => episode.id === marker),
    "the chat's recall finds the archived turn",
  );
  // A pinned turn is never demoted, nor an edited one (the memory browser's edit sets the flag).
  await second.call("episodes.pin", { id: episodeIds[400]!, pinned: true });
  await second.dispose();
  const db = await Database.open({ directory: join(dataDir, "db") });
  await (
    await db.table("episodes")
  ).write((table) => table.update({ where: eq("id", episodeIds[401]!), values: { edited: true } }));
  await db.dispose();

  // Ten years idle: the prune job (enqueued by 500 new turns elsewhere) races the user's forget of the same turns.
  now += 3650 * day;
  const third = await Engine.open({ dataDir, clock, runJobs: false });
  await third.call("memory.ingest", {
    turns: Array.from({ length: 500 }, (_, i) => ({ speaker: "user", text: `fresh note ${i}` })),
  });
  await Promise.all([
    third.drainJobs(),
    third.call("episodes.forget", { ids: episodeIds.slice(500, 520) }),
    third.call("episodes.forget", { ids: episodeIds.slice(510, 530) }),
  ]);
  const assertArchivedOnce = async (engine: Engine) => {
    const listed = await listAll(engine, conversationId);
    assert.equal(new Set(listed.map((episode) => episode.id)).size, 601, "each turn listed once");
    assert.equal(listed.length, 601, "the conversation lists its 601 turns");
    const hot = listed.filter((episode) => !episode.archived).map((episode) => episode.id);
    assert.deepEqual(hot.sort(), [episodeIds[400]!, episodeIds[401]!].sort(), "only the pinned and edited stay hot");
    const counts = await engine.call("stats.get", {});
    assert.equal(counts.archivedEpisodes, 599, "599 archived, each once");
    assert.equal(counts.episodes, 2 + 500);
  };
  await assertArchivedOnce(third);
  await third.dispose();

  const fourth = await Engine.open({ dataDir, clock, runJobs: true });
  t.after(() => fourth.dispose());
  await fourth.drainJobs();
  await assertArchivedOnce(fourth);
  const again = (await fourth.call("memory.search", { query: "marker m30x" })).hits.find((hit) => hit.id === marker);
  assert.equal(again?.archived, true, "still found after a restart");
  assert.equal((await fourth.call("episodes.restore", { ids: [marker] })).restored, 1);
  stats = await fourth.call("stats.get", {});
  assert.equal(stats.archivedEpisodes, 598);
  assert.equal((await fourth.pruneMemories()).archived, 0, "a restored turn counts as recalled now: not pruned again");
});
