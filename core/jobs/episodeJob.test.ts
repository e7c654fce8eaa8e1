import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../engine.ts";
import { Database } from "../store/database.ts";
import { EpisodeStore } from "../store/episodeStore.ts";
import type { JobRow } from "../store/schema.ts";
import { episodeRow } from "../../test/support/episodeRows.ts";
import { episodeJob, episodesOf } from "./episodeJob.ts";
import { JobQueue } from "./jobQueue.ts";

const episode = (conversationId: string, seq: number) => episodeRow(conversationId, seq);

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "engram-episode-job-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test("the turns of one ingest are named by their run of positions; turns with a gap between them by id", () => {
  const run = [episode("c", 7), episode("c", 5), episode("c", 6)];
  assert.deepEqual(episodeJob("c", run), { conversationId: "c", seqFrom: 5, seqTo: 7 });
  // A reply stored after another ingest came in between its question and it.
  assert.deepEqual(episodeJob("c", [episode("c", 3), episode("c", 9)]), {
    conversationId: "c",
    episodeIds: ["c-3", "c-9"],
  });
  assert.deepEqual(episodeJob("c", [episode("c", 3)]), { conversationId: "c", episodeIds: ["c-3"] });
});

test("a job reads exactly the hot turns it names, by run or by id, in the conversation's order", async (t) => {
  const db = await Database.open({ directory: await tempDir(t) });
  t.after(() => db.dispose());
  const store = await EpisodeStore.open(db);
  for (let seq = 0; seq < 10; seq += 1) await store.append([episode("a", seq), episode("b", seq)]);
  await store.deleteByIds(["a-4"]);
  await store.moveToArchive(["a-5"], Date.now());

  const byRun = await episodesOf(store, { conversationId: "a", seqFrom: 3, seqTo: 7 });
  assert.deepEqual(
    byRun.map((row) => row.id),
    ["a-3", "a-6", "a-7"],
    "a deleted turn and an archived one are not read, nor another conversation's turns at the same positions",
  );
  const byIds = await episodesOf(store, { conversationId: "a", episodeIds: ["a-7", "a-3", "a-4", "a-6"] });
  assert.deepEqual(
    byIds.map((row) => row.id),
    ["a-3", "a-6", "a-7"],
  );
});

test("ingest queues its jobs by run, and a job an older Engram queued by ids still runs after the upgrade", async (t) => {
  const dataDir = await tempDir(t);
  const turns = [
    { speaker: "Caroline", text: "I went hiking near Lisbon with Melanie." },
    { speaker: "Melanie", text: "Ana Silva joined us from Porto." },
  ];
  let engine = await Engine.open({ dataDir, runJobs: false });
  await engine.call("settings.update", { autoExtract: false });
  const { conversationId, episodeIds } = await engine.call("memory.ingest", { turns });
  await engine.call("memory.ingest", { conversationId, turns: [{ speaker: "Caroline", text: "It rained." }] });
  await engine.dispose();

  const db = await Database.open({ directory: join(dataDir, "db") });
  const jobs = await db.table<JobRow>("jobs");
  const payloads = ((await jobs.table.query().toArray()) as JobRow[]).map((row) => JSON.parse(row.payload) as object);
  assert.ok(payloads.length >= 2);
  assert.ok(
    payloads.some((payload) => JSON.stringify(payload) === JSON.stringify({ conversationId, seqFrom: 0, seqTo: 1 })),
  );
  // What an Engram before this change queued: the entities job of the first ingest, naming its turns by id.
  const queue = await JobQueue.open(db, { isBusy: () => false, onError: (error) => assert.fail(String(error)) });
  await queue.enqueue([{ kind: "entities", payload: { conversationId, episodeIds } }]);
  await db.dispose();

  engine = await Engine.open({ dataDir, runJobs: false });
  t.after(() => engine.dispose());
  await engine.call("settings.update", { autoExtract: true });
  await engine.drainJobs();
  const names = (await engine.call("entities.list", { limit: 50 })).entities.map((entity) => entity.name);
  assert.ok(names.includes("Lisbon") && names.includes("Ana Silva"), names.join(", "));
  // Only the first ingest's turns were read: "It rained." names no one new, and the third turn was never queued.
  assert.equal((await engine.call("entities.list", { query: "Caroline" })).entities[0]?.mentionCount, 1);
});
