import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { EventPayload } from "../../core/api/index.ts";
import type { Engine } from "../../core/engine.ts";
import type { Embedder } from "../../core/model/interfaces.ts";
import { Database } from "../../core/store/database.ts";
import { eq } from "../../core/store/sql.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { HashingEmbedder, ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";

/** An embedder that takes its time, so embedding jobs are still running when a delete arrives. */
class SlowEmbedder implements Embedder {
  readonly id = "slow-test-embedder";
  readonly dimensions = 64;
  readonly #inner = new HashingEmbedder();
  async embed(texts: string[]): Promise<Float32Array[]> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return this.#inner.embed(texts);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Everything a data folder holds of a conversation, read from its tables after the engine closed: what a deletion must
 * leave empty.
 */
async function leftovers(dataDir: string, conversationId: string): Promise<Record<string, number>> {
  const db = await Database.open({ directory: join(dataDir, "db") });
  try {
    const found: Record<string, number> = {};
    const byConversation = eq("conversationId", conversationId);
    const tables = [
      "messages",
      "episodes",
      "episodes_archive",
      "summaries",
      ...(await db.connection.tableNames()).filter((name) => name.startsWith("vectors_")),
    ];
    for (const name of tables) {
      const rows = await (await db.table(name)).table.countRows(byConversation);
      if (rows > 0) found[name] = rows;
    }
    if ((await (await db.table("conversations")).table.countRows(eq("id", conversationId))) > 0) {
      found.conversations = 1;
    }
    const jobs = (await (await db.table("jobs")).table.query().toArray()) as { payload: string }[];
    const jobsForIt = jobs.filter((job) => job.payload.includes(conversationId)).length;
    if (jobsForIt > 0) found.jobs = jobsForIt;
    return found;
  } finally {
    await db.dispose();
  }
}

/** A refused write to a deleted conversation answers a clear not_found or conflict, never an internal fault. */
function assertCleanRefusal(result: { ok: boolean; error?: { code: string; message: string } }, what: string): void {
  if (result.ok) return;
  assert.ok(
    result.error?.code === "not_found" || result.error?.code === "conflict",
    `${what}: ${JSON.stringify(result.error)}`,
  );
}

async function assertNotRecalled(engine: Engine, conversationId: string, query: string): Promise<void> {
  const { hits } = await engine.call("memory.search", { query, limit: 200 });
  assert.deepEqual(
    hits.filter((hit) => hit.conversationId === conversationId).map((hit) => `${hit.kind}: ${hit.text.slice(0, 60)}`),
    [],
    "search returns nothing of the deleted conversation",
  );
}

test("a conversation deleted while 200 turns are ingested into it leaves nothing behind", async (t) => {
  const models = new ScriptedModelService(new ScriptedChatModel(), new SlowEmbedder());
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true, models });
  const { conversationId } = await engine.call("memory.ingest", {
    turns: Array.from({ length: 20 }, (_, i) => ({ speaker: "user", text: `Walrus fact number ${i}.` })),
  });
  const { conversationId: other } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "A walrus lives in the other conversation." }],
  });
  // Its background jobs (embedding, summaries) are under way when the next calls arrive.
  await delay(20);
  // Ingests sent with the delete, a little before, together and a little after it.
  const ingest = (wait: number) =>
    delay(wait).then(() =>
      engine.dispatch("memory.ingest", {
        conversationId,
        turns: Array.from({ length: 200 }, (_, i) => ({ speaker: "user", text: `More walrus notes ${wait}.${i}` })),
      }),
    );
  const [deleted, ...ingests] = await Promise.all([
    delay(2).then(() => engine.dispatch("conversations.delete", { id: conversationId })),
    ingest(0),
    ingest(2),
    ingest(5),
    ingest(15),
  ]);
  assert.ok(deleted.ok, JSON.stringify(deleted));
  ingests.forEach((result) => assertCleanRefusal(result, "an ingest racing the delete"));

  const late = await engine.dispatch("memory.ingest", { conversationId, turns: [{ speaker: "user", text: "x" }] });
  assert.equal(!late.ok && late.error.code, "not_found", "a write to a deleted conversation is refused");
  await engine.drainJobs();
  await assertNotRecalled(engine, conversationId, "walrus notes fact");
  const { hits } = await engine.call("memory.search", { query: "walrus other conversation" });
  assert.equal(hits[0]?.conversationId, other, "the other conversation is untouched");
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.episodes + stats.archivedEpisodes, 1);
  await engine.dispose();
  assert.deepEqual(await leftovers(dataDir, conversationId), {});
});

test("a conversation deleted while its reply streams, with a message sent together with the delete, leaves nothing behind", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "walrus ".repeat(300) });
  model.delayMs = 2;
  const models = new ScriptedModelService(model, new HashingEmbedder());
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true, models });
  const done: EventPayload<"chat.done">[] = [];
  engine.events.on("chat.done", (event) => done.push(event));
  const first = await engine.call("chat.send", { text: "Tell me about the walrus." });
  const conversationId = first.conversationId;
  await delay(50); // the reply is streaming
  const [sent, deleted] = await Promise.all([
    engine.dispatch("chat.send", { conversationId, text: "And the walrus tusks?" }),
    engine.dispatch("conversations.delete", { id: conversationId }),
  ]);
  assert.ok(deleted.ok, JSON.stringify(deleted));
  assertCleanRefusal(sent, "the message sent together with the delete");
  const expected = sent.ok ? 2 : 1;
  const deadline = Date.now() + 20_000;
  while (done.length < expected && Date.now() < deadline) await delay(20);
  assert.equal(done.length, expected, "every reply started has ended");
  await engine.drainJobs();

  const messages = await engine.dispatch("messages.list", { conversationId });
  assert.equal(!messages.ok && messages.error.code, "not_found");
  const again = await engine.dispatch("chat.send", { conversationId, text: "hello?" });
  assert.equal(!again.ok && again.error.code, "not_found");
  await assertNotRecalled(engine, conversationId, "walrus tusks");
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 0);
  await engine.dispose();
  assert.deepEqual(await leftovers(dataDir, conversationId), {});
});

test("deletes and writes sent together many times never leave a turn of a deleted conversation", async (t) => {
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true });
  const deletedIds: string[] = [];
  for (let round = 0; round < 5; round += 1) {
    const { conversationId } = await engine.call("memory.ingest", {
      turns: [{ speaker: "user", text: `Round ${round} starts with a narwhal.` }],
    });
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        engine.dispatch("memory.ingest", {
          conversationId,
          turns: [{ speaker: "user", text: `Narwhal sighting ${round}.${i}` }],
        }),
      ),
      engine.dispatch("conversations.rename", { id: conversationId, title: "Narwhals" }),
      engine.dispatch("conversations.delete", { id: conversationId }),
      engine.dispatch("conversations.delete", { id: conversationId }),
    ]);
    results.forEach((result, i) => assertCleanRefusal(result, `call ${i}`));
    assert.equal(results.slice(-2).filter((result) => result.ok).length, 1, "one of two deletes deletes it");
    deletedIds.push(conversationId);
  }
  await engine.drainJobs();
  for (const id of deletedIds) await assertNotRecalled(engine, id, "narwhal sighting starts");
  assert.equal((await engine.call("stats.get", {})).episodes, 0);
  await engine.dispose();
  for (const id of deletedIds) assert.deepEqual(await leftovers(dataDir, id), {}, id);
});
