/**
 * chat.regenerate through the contract (issue 8, defect 4): only an assistant reply may be regenerated, and two
 * regenerates of one reply sent together leave exactly one new reply. The job queue runs as in the app.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../../core/engine.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { replyDone } from "../support/chatEvents.ts";

/** The conversation once no reply in it is still pending or streaming. */
async function settledThread(engine: Engine, conversationId: string) {
  for (;;) {
    const thread = await engine.call("messages.list", { conversationId });
    if (thread.messages.every((m) => m.status !== "pending" && m.status !== "streaming")) return thread;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function engineWithNumberedAnswers(t: Parameters<typeof openTempEngine>[0]) {
  let answers = 0;
  const model = new ScriptedChatModel({ reply: () => `Answer number ${++answers}.` });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model), runJobs: true });
  return { engine, model };
}

test("chat.regenerate with a user message's id is refused with bad_input and changes nothing", async (t) => {
  const { engine } = await engineWithNumberedAnswers(t);
  const first = await engine.call("chat.send", { text: "Hello there." });
  await replyDone(engine, first.assistantMessageId);
  // The second turn's user message has a message before it, which the refused call must not reply to.
  const sent = await engine.call("chat.send", {
    conversationId: first.conversationId,
    text: "My locker code is 4417.",
  });
  await replyDone(engine, sent.assistantMessageId);
  await engine.drainJobs();
  const before = await engine.call("messages.list", { conversationId: sent.conversationId });
  const statsBefore = await engine.call("stats.get", {});

  const refused = await engine.dispatch("chat.regenerate", { assistantMessageId: sent.userMessageId });
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.error.code, "bad_input");
  assert.match(!refused.ok ? refused.error.message : "", /Only an assistant reply can be regenerated/);

  await engine.drainJobs();
  assert.deepEqual(await engine.call("messages.list", { conversationId: sent.conversationId }), before);
  const statsAfter = await engine.call("stats.get", {});
  assert.equal(statsAfter.messages, statsBefore.messages);
  assert.equal(statsAfter.episodes, statsBefore.episodes);
  const { hits } = await engine.call("memory.search", { query: "locker code" });
  assert.equal(hits[0]?.text, "My locker code is 4417.", "the user's message is still remembered");
});

test("two regenerates of one reply sent together leave exactly one new reply", async (t) => {
  const { engine, model } = await engineWithNumberedAnswers(t);
  const sent = await engine.call("chat.send", { text: "Tell me something." });
  await replyDone(engine, sent.assistantMessageId);
  const promptsBefore = model.prompts.length;

  const results = await Promise.all([
    engine.dispatch("chat.regenerate", { assistantMessageId: sent.assistantMessageId }),
    engine.dispatch("chat.regenerate", { assistantMessageId: sent.assistantMessageId }),
  ]);
  const answered = results.filter((result) => result.ok).map((result) => result.ok && result.data);
  const refused = results.filter((result) => !result.ok).map((result) => !result.ok && result.error);
  assert.ok(answered.length >= 1, JSON.stringify(results));
  for (const error of refused) assert.equal(error && error.code, "conflict", JSON.stringify(error));
  const newIds = new Set(answered.map((data) => (data as { assistantMessageId: string }).assistantMessageId));
  assert.equal(newIds.size, 1, `both answers name one new reply: ${JSON.stringify(results)}`);
  const [newId] = [...newIds];
  const settled = await settledThread(engine, sent.conversationId);
  assert.deepEqual(
    settled.messages.map((m) => [m.role, m.id === newId ? "new" : m.id === sent.userMessageId ? "user" : m.id]),
    [
      ["user", "user"],
      ["assistant", "new"],
    ],
  );
  assert.equal(model.prompts.length - promptsBefore, 1, "the model was asked for one new reply");
  await engine.drainJobs();
  const { hits } = await engine.call("memory.search", { query: "Answer number" });
  assert.equal(hits.filter((hit) => hit.speaker === "assistant").length, 1, JSON.stringify(hits));
});

test("a regenerate and a delete of its conversation sent together leave nothing of the conversation", async (t) => {
  const { engine } = await engineWithNumberedAnswers(t);
  for (let round = 0; round < 6; round += 1) {
    const sent = await engine.call("chat.send", { text: `Tell me something, round ${round}.` });
    await replyDone(engine, sent.assistantMessageId);
    const [regenerated, deleted] = await Promise.all([
      engine.dispatch("chat.regenerate", { assistantMessageId: sent.assistantMessageId }),
      // A round of the loop later each time, so the delete lands at each step of the regenerate.
      new Promise((resolve) => setTimeout(resolve, round)).then(() =>
        engine.dispatch("conversations.delete", { id: sent.conversationId }),
      ),
    ]);
    assert.equal(deleted.ok, true, JSON.stringify(deleted));
    if (!regenerated.ok) assert.equal(regenerated.error.code, "not_found", JSON.stringify(regenerated));
    await engine.drainJobs();
    const listed = await engine.dispatch("messages.list", { conversationId: sent.conversationId });
    assert.equal(listed.ok, false, "the conversation is gone");
  }
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.messages, 0, "no message outlived its conversation");
  assert.equal(stats.episodes, 0, "no turn outlived its conversation");
});
