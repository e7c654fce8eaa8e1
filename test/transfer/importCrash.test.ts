import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";
import { Database } from "../../core/store/database.ts";
import { chatGptConversation, chatGptExport } from "./exportFixtures.ts";

const turnsPerConversation = 10;

/** A ChatGPT export of `count` conversations of ten turns, each turn's text unique. */
function manyConversations(count: number) {
  return Array.from({ length: count }, (_, c) =>
    chatGptConversation({
      id: `crash-${c}`,
      title: `Conversation ${c}`,
      createTime: 1_700_000_000 + c * 100,
      updateTime: 1_700_000_000 + c * 100 + 20,
      turns: Array.from({ length: turnsPerConversation }, (_, i) => ({
        role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
        text: `Turn ${i} of conversation ${c}: marker${c}x${i}.`,
        at: 1_700_000_000 + c * 100 + i,
      })),
    }),
  );
}

async function folder(t: { after: (fn: () => Promise<void>) => void }, prefix: string): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(path, { recursive: true, force: true }));
  return path;
}

/** Every conversation whole (its ten messages and turns) and each once; returns how many there are. */
async function checkWhole(engine: Engine): Promise<number> {
  const { conversations } = await engine.call("conversations.list", {});
  const titles = conversations.map((conversation) => conversation.title);
  assert.equal(new Set(titles).size, titles.length, "no conversation twice");
  for (const conversation of conversations) {
    const { messages } = await engine.call("messages.list", { conversationId: conversation.id });
    assert.equal(messages.length, turnsPerConversation, `${conversation.title}: every message, once`);
    const { total } = await engine.call("episodes.list", { conversationId: conversation.id, includeArchived: true });
    assert.equal(total, turnsPerConversation, `${conversation.title}: every turn, once`);
  }
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.messages, conversations.length * turnsPerConversation, "no message outside a whole conversation");
  assert.equal(stats.episodes + stats.archivedEpisodes, conversations.length * turnsPerConversation);
  return conversations.length;
}

test("an import stopped midway (the app quits) keeps only whole conversations, and a rerun finishes it", async (t) => {
  const dataDir = await folder(t, "engram-import-quit-");
  const files = await folder(t, "engram-import-quit-file-");
  const path = join(files, "conversations.json");
  await writeFile(path, JSON.stringify(manyConversations(450)));

  const engine = await Engine.open({ dataDir, runJobs: false });
  let disposing: Promise<void> | null = null;
  engine.events.on("jobs.progress", (event) => {
    if (event.kind === "import" && event.done > 0 && !disposing) disposing = engine.dispose();
  });
  const stopped = await engine.dispatch("conversations.importFile", { source: "chatgpt", path });
  await disposing;
  assert.equal(!stopped.ok && stopped.error.code, "cancelled");

  const reopened = await Engine.open({ dataDir, runJobs: false });
  try {
    const partial = await checkWhole(reopened);
    assert.ok(partial > 0 && partial < 450, `part of the file was imported (${partial})`);
    const rerun = await reopened.call("conversations.importFile", { source: "chatgpt", path });
    assert.deepEqual([rerun.conversations, rerun.skipped], [450 - partial, partial]);
    assert.equal(await checkWhole(reopened), 450);
    const { hits } = await reopened.call("memory.search", { query: "marker449x9" });
    assert.match(hits[0]!.text, /marker449x9/);
  } finally {
    await reopened.dispose();
  }
});

test("a conversation left half-written by a crash is rolled back on the next start and imported whole by a rerun", async (t) => {
  const dataDir = await folder(t, "engram-import-rollback-");
  const [moving, sourdough] = chatGptExport();
  const first = await Engine.open({ dataDir, runJobs: false });
  await first.call("conversations.import", { source: "chatgpt", content: JSON.stringify([moving]) });
  await first.dispose();

  // What a crash between a conversation's "pending" record and its "done" leaves behind.
  const db = await Database.open({ directory: join(dataDir, "db") });
  const now = Date.now();
  await (
    await db.table("imports")
  ).append([
    {
      key: `chatgpt:${sourdough!.id}`,
      source: "chatgpt",
      conversationId: "conv_partial",
      status: "pending",
      turnCount: 2,
      contentHash: "x",
      importedAt: now,
    },
  ]);
  await (
    await db.table("messages")
  ).append([
    {
      id: "msg_partial",
      conversationId: "conv_partial",
      role: "user",
      content: "My sourdough starter is called Gerald and smells of acetone.",
      status: "done",
      memoryIds: "[]",
      error: null,
      createdAt: now,
    },
  ]);
  await (
    await db.table("conversations")
  ).append([{ id: "conv_partial", title: "Sourdough", createdAt: now, updatedAt: now }]);
  await db.dispose();

  const engine = await Engine.open({ dataDir, runJobs: false });
  try {
    const { conversations } = await engine.call("conversations.list", {});
    assert.deepEqual(
      conversations.map((conversation) => conversation.title),
      ["Moving house"],
      "the half-written conversation is gone",
    );
    assert.equal((await engine.call("stats.get", {})).messages, 4);
    const rerun = await engine.call("conversations.import", {
      source: "chatgpt",
      content: JSON.stringify([moving, sourdough]),
    });
    assert.deepEqual([rerun.conversations, rerun.skipped], [1, 1]);
    const stats = await engine.call("stats.get", {});
    assert.deepEqual([stats.conversations, stats.messages, stats.episodes], [2, 6, 6]);
  } finally {
    await engine.dispose();
  }
});

test("an import killed midway (the process dies) leaves nothing doubled, and a rerun imports everything", async (t) => {
  const dataDir = await folder(t, "engram-import-kill-");
  const files = await folder(t, "engram-import-kill-file-");
  const path = join(files, "conversations.json");
  await writeFile(path, JSON.stringify(manyConversations(600)));

  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "importChild.ts"), dataDir, path],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    // Killed as soon as the first batch is in: the next one is being written.
    if (/progress [1-9]/.test(output)) child.kill("SIGKILL");
  });
  const signal = await exited;
  assert.equal(signal, "SIGKILL", `the child was killed mid-import (it said: ${output.trim()})`);

  const engine = await Engine.open({ dataDir, runJobs: false });
  try {
    const partial = await checkWhole(engine);
    assert.ok(partial < 600);
    const rerun = await engine.call("conversations.importFile", { source: "chatgpt", path });
    assert.equal(rerun.conversations + rerun.skipped, 600);
    assert.equal(await checkWhole(engine), 600);
  } finally {
    await engine.dispose();
  }
});
