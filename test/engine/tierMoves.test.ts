import { test } from "node:test";
import assert from "node:assert/strict";
import { Database } from "../../core/store/database.ts";
import { eq } from "../../core/store/sql.ts";
import type { Engine } from "../../core/engine.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { join } from "node:path";

const year = 365 * 86_400_000;

/** Every episode of a conversation, hot and archived, as the memory browser lists it. */
async function listAll(engine: Engine, conversationId: string) {
  return (await engine.call("episodes.list", { conversationId, includeArchived: true, limit: 1000 })).episodes;
}

function assertEachIdOnce(episodes: { id: string }[]): void {
  const seen = new Set<string>();
  const twice = new Set(episodes.map((episode) => episode.id).filter((id) => seen.has(id) || !seen.add(id)));
  assert.equal(twice.size, 0, `${twice.size} ids listed more than once, e.g. ${[...twice].slice(0, 3).join(", ")}`);
}

test("two forgets of the same turns sent together archive each turn once, and two restores bring each back once", async (t) => {
  const { engine } = await openTempEngine(t, { runJobs: true });
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "My locker code is 4512." },
      { speaker: "user", text: "The spare key is under the blue flowerpot." },
      { speaker: "user", text: "I parked on level three." },
      { speaker: "user", text: "Dinner with Ana on Friday." },
      { speaker: "user", text: "The wifi password is on the fridge." },
    ],
  });
  const ids = episodeIds.slice(0, 3);

  const forgets = await Promise.all([
    engine.call("episodes.forget", { ids }),
    engine.call("episodes.forget", { ids }),
    engine.call("episodes.forget", { ids: [ids[0]!] }),
  ]);
  assert.equal(
    forgets.reduce((sum, result) => sum + result.archived, 0),
    3,
    `each turn counted once: ${JSON.stringify(forgets)}`,
  );
  let listed = await listAll(engine, conversationId);
  assertEachIdOnce(listed);
  assert.equal(listed.length, 5);
  assert.equal(listed.filter((episode) => episode.archived).length, 3);
  let stats = await engine.call("stats.get", {});
  assert.equal(stats.archivedEpisodes, 3);
  assert.equal(stats.episodes, 2);

  const restores = await Promise.all([
    engine.call("episodes.restore", { ids }),
    engine.call("episodes.restore", { ids }),
  ]);
  assert.equal(restores[0].restored + restores[1].restored, 3, `each turn counted once: ${JSON.stringify(restores)}`);
  listed = await listAll(engine, conversationId);
  assertEachIdOnce(listed);
  assert.equal(listed.length, 5);
  assert.equal(listed.filter((episode) => episode.archived).length, 0);
  stats = await engine.call("stats.get", {});
  assert.equal(stats.episodes, 5, "the hot tier holds each turn once");
  assert.equal(stats.archivedEpisodes, 0);
  const { hits } = await engine.call("memory.search", { query: "locker code" });
  assert.deepEqual(
    hits.filter((hit) => hit.text.includes("locker")).map((hit) => hit.id),
    [ids[0]],
    "the restored turn is found once",
  );
});

test("the prune job racing a user's forget on the same turns moves each turn once", async (t) => {
  let now = Date.parse("2025-01-10T00:00:00Z");
  const { engine } = await openTempEngine(t, { clock: () => now, runJobs: false });
  // 500 remembered turns enqueue a prune job; it waits until the queue runs.
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: Array.from({ length: 500 }, (_, i) => ({ speaker: "user", text: `ok note ${i}` })),
  });
  now += 10 * year; // every turn is now idle long past its keep time
  const [, forgot] = await Promise.all([
    engine.drainJobs(),
    engine.call("episodes.forget", { ids: episodeIds.slice(0, 50) }),
    engine.call("episodes.forget", { ids: episodeIds.slice(25, 75) }),
  ]);
  assert.ok(forgot.archived <= 50);
  const listed = await listAll(engine, conversationId);
  assertEachIdOnce(listed);
  assert.equal(listed.length, 500);
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.episodes + stats.archivedEpisodes, 500, JSON.stringify(stats));
  assert.equal(stats.archivedEpisodes, 500, "the prune job archived the rest");
});

test("a turn left in both tiers by a crash between copy and delete is listed once and moves cleanly", async (t) => {
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true });
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "My passport expires in June 2027." },
      { speaker: "user", text: "I renewed my driving licence in March." },
    ],
  });
  await engine.dispose();

  // What a crash after the archive copy of a forget, before the hot delete, leaves behind.
  const db = await Database.open({ directory: join(dataDir, "db") });
  const hot = await db.table("episodes");
  const [row] = await hot.table.query().where(eq("id", episodeIds[0]!)).toArray();
  await (await db.table("episodes_archive")).append([{ ...row, archivedAt: Date.now() }]);
  await db.dispose();

  const { engine: reopened } = await openTempEngine(t, { dataDir, runJobs: true });
  let listed = await listAll(reopened, conversationId);
  assertEachIdOnce(listed);
  assert.equal(listed.length, 2);
  const hits = (await reopened.call("memory.search", { query: "passport expires" })).hits;
  assert.equal(hits.filter((hit) => hit.id === episodeIds[0]).length, 1, "search shows the turn once");

  assert.equal((await reopened.call("episodes.forget", { ids: [episodeIds[0]!] })).archived, 1);
  listed = await listAll(reopened, conversationId);
  assertEachIdOnce(listed);
  assert.deepEqual(
    listed.map((episode) => episode.archived),
    [true, false],
  );
  assert.equal((await reopened.call("episodes.restore", { ids: [episodeIds[0]!] })).restored, 1);
  const stats = await reopened.call("stats.get", {});
  assert.equal(stats.episodes, 2);
  assert.equal(stats.archivedEpisodes, 0);
});
