import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";

test("acknowledged turns, queued jobs and an interrupted reply survive a restart", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-restart-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));

  const slow = new ScriptedChatModel({ reply: () => "word ".repeat(500) });
  slow.delayMs = 20;
  // No lock for the engine this test abandons: a crashed process holds none either.
  const first = await Engine.open({ dataDir, runJobs: false, lock: false, models: new ScriptedModelService(slow) });
  const { conversationId } = await first.call("memory.ingest", {
    turns: [{ speaker: "user", text: "My passport expires in June 2027." }],
  });
  const sent = await first.call("chat.send", { conversationId, text: "When does my passport expire?" });
  // Simulate a crash: the engine is dropped without dispose while the reply streams and jobs are queued.
  await new Promise((resolve) => setTimeout(resolve, 50));

  const model = new ScriptedChatModel({ json: () => ({ summary: "Passport expiry discussed." }) });
  const second = await Engine.open({ dataDir, runJobs: false, models: new ScriptedModelService(model) });
  t.after(() => second.dispose());
  const { messages } = await second.call("messages.list", { conversationId });
  assert.equal(messages[0]!.content, "When does my passport expire?");
  assert.equal(messages[1]!.status, "error", "the reply cut off by the crash is marked, not left pending");
  assert.match(messages[1]!.error ?? "", /stopped before this reply finished/);
  assert.equal((await second.call("memory.search", { query: "passport expires" })).hits.length, 2);

  await second.drainJobs();
  const summary = await second.call("summaries.get", { conversationId });
  assert.equal(summary.conversation?.text, "Passport expiry discussed.", "the queued summary job ran after restart");
  // The first engine is still streaming into the same folder; stop it so the test ends cleanly.
  await first.call("chat.stop", { assistantMessageId: sent.assistantMessageId });
  await first.dispose();
});
