/**
 * chat.stop while background memory jobs hold the real model (issue 8, defect 6), on stories260K in a real host
 * process with the real job queue: stopped replies stop (status stopped, no token after the stop answered, nothing
 * like a whole reply generated), a reply sent while jobs run is answered, and the jobs are not lost (they all finish
 * or fail on their own, none is left behind). The scripted version with exact timings is
 * test/engine/chatPreemption.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { localModels } from "../../core/model/localModels.ts";

const modelPath = resolve(import.meta.dirname, "../../../shared/models/stories260K/stories260K.gguf");
const skip = existsSync(modelPath) ? false : `${modelPath} is absent (no shared model fixtures here)`;

describe("chat.stop on stories260K while memory jobs run", { skip }, () => {
  let dataDir: string;
  let engine: Engine;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-stories-stop-"));
    engine = await Engine.open({ dataDir, models: localModels({ modelFile: modelPath }) });
  });
  after(async () => {
    await engine?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  function replyDone(assistantMessageId: string): Promise<EventPayload<"chat.done">> {
    return new Promise((resolve) => {
      const off = engine.events.on("chat.done", (event) => {
        if (event.assistantMessageId !== assistantMessageId) return;
        off();
        resolve(event);
      });
    });
  }

  test("stops sent 20 to 200 ms after chat.send stop the reply, and the jobs still run", async () => {
    // Short turns one by one: each brings its own summary and fact jobs, which keep the model busy in the background.
    for (let index = 0; index < 12; index++) {
      await engine.call("memory.ingest", {
        turns: [{ speaker: "user", text: `Lily found a red ball in the park on day ${index}.` }],
      });
    }
    for (const delayMs of [20, 20, 50, 100, 200]) {
      assert.ok((await engine.call("stats.get", {})).pendingJobs > 0, "background jobs are still running");
      const sent = await engine.call("chat.send", { text: "Tell me a long story about Lily and the red ball." });
      let stopAnswered = false;
      let lateTokens = 0;
      const off = engine.events.on("chat.token", (event) => {
        if (event.assistantMessageId === sent.assistantMessageId && stopAnswered) lateTokens++;
      });
      const done = replyDone(sent.assistantMessageId);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const stop = await engine.call("chat.stop", { assistantMessageId: sent.assistantMessageId });
      stopAnswered = true;
      assert.deepEqual(stop, { stopped: true });
      assert.equal((await done).status, "stopped", `stop after ${delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      off();
      assert.equal(lateTokens, 0, "no token after the stop answered");
      const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
      const reply = messages.find((message) => message.id === sent.assistantMessageId)!;
      assert.equal(reply.status, "stopped");
      assert.ok(reply.content.length < 1000, `a stop after ${delayMs} ms left a ${reply.content.length}-char reply`);
    }
    const answered = await engine.call("chat.send", { text: "Once upon a time" });
    assert.equal((await replyDone(answered.assistantMessageId)).status, "done");
    await engine.drainJobs();
    assert.equal((await engine.call("stats.get", {})).pendingJobs, 0, "no job was left behind");
  });
});
