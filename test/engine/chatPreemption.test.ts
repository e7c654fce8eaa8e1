/**
 * Chat has the model before background work (issue 8, defect 6). A scripted model takes turns on one model through
 * the real GenerationScheduler, as the host model does, and its memory-job calls are slow: a summary takes a minute,
 * and once asked to stop it takes a while to let go (a real model first finishes the batch it is evaluating). The
 * real job queue runs. The same check on the real stories260K model is in test/model/stories260KPreemption.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GenerationScheduler } from "../../core/model/generationScheduler.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { replyDone } from "../support/chatEvents.ts";

const summaryMs = 60_000;
const letGoMs = 8_000;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** An engine whose background summary is holding the model when this returns. */
async function engineWithSummaryRunning(t: Parameters<typeof openTempEngine>[0]) {
  const model = new ScriptedChatModel({
    reply: () => "one two three four five six seven eight nine ten ".repeat(20),
    json: () => ({ summary: "The user keeps bees on the roof.", facts: [] }),
  });
  model.scheduler = new GenerationScheduler();
  model.delayMs = 20;
  model.jsonDelayMs = summaryMs;
  model.jsonStopLatencyMs = letGoMs;
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model), runJobs: true });
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I keep bees on the roof of my flat." }],
  });
  await until(() => model.jsonPrompts.length > 0);
  return { engine, model, conversationId };
}

test("chat.stop 20 ms after chat.send, while a summary job holds the model, answers at once and the reply stops", async (t) => {
  const { engine } = await engineWithSummaryRunning(t);
  const sent = await engine.call("chat.send", { text: "Count for me." });
  const tokensAfterStop: string[] = [];
  let stopAnswered = false;
  engine.events.on("chat.token", (event) => {
    if (event.assistantMessageId === sent.assistantMessageId && stopAnswered) tokensAfterStop.push(event.text);
  });
  const done = replyDone(engine, sent.assistantMessageId);
  await new Promise((resolve) => setTimeout(resolve, 20));

  const started = performance.now();
  const stop = await engine.dispatch("chat.stop", { assistantMessageId: sent.assistantMessageId });
  const stopMs = performance.now() - started;
  stopAnswered = true;
  assert.deepEqual(stop, { ok: true, data: { stopped: true } });
  // The summary lets go of the model only after 8 s; a stop that waited for it is not "at once".
  assert.ok(stopMs < letGoMs / 2, `chat.stop took ${Math.round(stopMs)} ms`);
  assert.equal((await done).status, "stopped");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(tokensAfterStop, [], "no token after the stop answered");
  const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
  assert.equal(messages.at(-1)?.status, "stopped");
});

test("a reply does not wait for a summary job to finish, and the preempted job runs again afterwards", async (t) => {
  const { engine, model, conversationId } = await engineWithSummaryRunning(t);
  model.jsonStopLatencyMs = 0;
  const started = performance.now();
  const sent = await engine.call("chat.send", { text: "What do I keep on the roof?" });
  model.jsonDelayMs = 0; // the summary in flight keeps its minute; when it runs again it is quick
  const done = await replyDone(engine, sent.assistantMessageId);
  assert.equal(done.status, "done");
  assert.ok(performance.now() - started < summaryMs / 2, "the reply came long before the summary would have ended");

  // The preempted summary is not lost: it runs again once chat is done.
  await engine.drainJobs();
  assert.ok(model.jsonPrompts.length >= 2, "the summary call was made again after the reply");
  const summaries = await engine.call("summaries.get", { conversationId });
  assert.equal(summaries.conversation?.text, "The user keeps bees on the roof.");
  assert.equal((await engine.call("stats.get", {})).pendingJobs, 0);
});
