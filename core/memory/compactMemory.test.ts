import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "../store/database.ts";
import { SummaryStore } from "../store/summaryStore.ts";
import { ScriptedChatModel } from "../../test/support/scriptedModel.ts";
import { chunkTurns, CompactMemory } from "./compactMemory.ts";

test("every N turns the running summary is folded into a digest and starts afresh", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-compact-"));
  const db = await Database.open({ directory });
  t.after(async () => {
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  const compact = new CompactMemory(await SummaryStore.open(db));
  let calls = 0;
  const model = new ScriptedChatModel({
    json: (messages) => {
      calls += 1;
      return messages[0]!.content.startsWith("Merge")
        ? { summary: `digest ${calls}` }
        : { summary: `summary ${calls}` };
    },
  });
  const say = (text: string) => [{ speaker: "user", text }];
  await compact.updateConversation(model, "c1", say("a"), { digestEvery: 2, now: 1 });
  let prompt = await compact.forPrompt("c1");
  assert.deepEqual([prompt.digest, prompt.summary], ["", "summary 1"]);

  await compact.updateConversation(model, "c1", say("b"), { digestEvery: 2, now: 2 });
  prompt = await compact.forPrompt("c1");
  assert.deepEqual([prompt.digest, prompt.summary], ["digest 3", ""], "turn 2 made a digest; the running one restarts");

  await compact.updateConversation(model, "c1", say("c"), { digestEvery: 2, now: 3 });
  prompt = await compact.forPrompt("c1");
  assert.deepEqual([prompt.digest, prompt.summary], ["digest 3", "summary 4"]);
  assert.equal(prompt.ids.length, 2);
});

test("a model that answers with an empty summary does not erase the old one", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-compact-"));
  const db = await Database.open({ directory });
  t.after(async () => {
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  const compact = new CompactMemory(await SummaryStore.open(db));
  let reply: unknown = { summary: "The user likes tea." };
  const model = new ScriptedChatModel({ json: () => reply });
  await compact.updateProfile(model, [{ speaker: "user", text: "I like tea" }], { now: 1 });
  reply = { summary: "   " };
  const after = await compact.updateProfile(model, [{ speaker: "user", text: "hm" }], { now: 2 });
  assert.equal(after.text, "The user likes tea.");
});

test("long imports are summarised in chunks a small model can read", () => {
  const turns = Array.from({ length: 100 }, (_, i) => ({ speaker: "user", text: `turn ${i} `.repeat(20) }));
  const chunks = chunkTurns(turns);
  assert.ok(chunks.length > 1);
  assert.equal(chunks.flat().length, 100, "no turn is dropped");
  for (const chunk of chunks) assert.ok(chunk.reduce((n, turn) => n + turn.text.length, 0) <= 6000);
});
