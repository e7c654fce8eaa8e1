/**
 * The prompt budget follows the loaded model (issue 8, defect 5): whatever the setting says, a prompt never takes more
 * than the model's context less room for the reply, what does not fit is left out (recalled memories first, then
 * the oldest turns; the new message always stays), and a message that cannot fit is refused instead of being sent.
 * A scripted model with a small context stands in for a small local model; the real one is in
 * test/model/stories260KChat.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { estimateTokens } from "../../core/model/approximateTokenizer.ts";
import type { ChatMessage } from "../../core/model/interfaces.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { replyDone } from "../support/chatEvents.ts";

/** A scripted model with the context of a small local model. */
class SmallContextModel extends ScriptedChatModel {
  override contextSize = 600;
}

/** The prompt's size as the scripted model counts it, with the assembler's per-message allowance. */
const promptTokens = (messages: ChatMessage[]) => messages.reduce((sum, m) => sum + estimateTokens(m.content) + 8, 0);

const longReply = (turn: number) =>
  `Story ${turn}: ` + "Lily and her dog ran to the park and found a big red ball under the old tree. ".repeat(20);

test("every prompt fits the model's context less room for the reply, turn after turn and in new conversations", async (t) => {
  let turn = 0;
  const model = new SmallContextModel({ reply: () => longReply(++turn) });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model), runJobs: true });
  assert.equal((await engine.call("settings.get", {})).promptBudgetTokens, 3500, "the default budget is larger");

  let conversationId: string | undefined;
  for (let index = 0; index < 8; index++) {
    const sent = await engine.call("chat.send", { conversationId, text: `Tell me story ${index} about Lily.` });
    conversationId = sent.conversationId;
    const done = await replyDone(engine, sent.assistantMessageId);
    assert.equal(done.status, "done", JSON.stringify(done.error));
  }
  // New conversations whose recall brings the long replies above (compacted first, as the app does on a schedule, so
  // the full-text index covers every turn).
  await engine.maintain();
  for (const text of ["What did Lily find in the park?", "Where did the dog and Lily run?"]) {
    const sent = await engine.call("chat.send", { text });
    const done = await replyDone(engine, sent.assistantMessageId);
    assert.equal(done.status, "done", JSON.stringify(done.error));
    assert.equal(model.prompts.at(-1)!.at(-1)!.content, text, "the new message is always in the prompt, last");
  }

  const limit = model.contextSize - 150; // room for the reply: a quarter of a 600-token context
  for (const prompt of model.prompts) {
    assert.ok(promptTokens(prompt) <= limit, `a prompt of ${promptTokens(prompt)} tokens, over ${limit}`);
  }
  const recalled = model.prompts.at(-1)![0]!.content;
  assert.match(recalled, /Memories that may be relevant/, "memories are recalled when they fit");
  const { messages } = await engine.call("messages.list", { conversationId: conversationId! });
  assert.equal(messages.length, 16);
});

test("a message that cannot fit the model's context is refused with a clear error and never sent", async (t) => {
  const model = new SmallContextModel({ reply: () => "Fine." });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model), runJobs: true });
  const text = "Please remember this long list: " + "apples pears plums cherries ".repeat(150).trim();
  const sent = await engine.call("chat.send", { text });
  const done = await replyDone(engine, sent.assistantMessageId);
  assert.equal(done.status, "error");
  assert.equal(done.error?.code, "bad_input");
  assert.match(done.error?.message ?? "", /does not fit the prompt budget of 450 tokens/);
  assert.equal(model.prompts.length, 0, "nothing was sent to the model");
  const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
  assert.deepEqual(
    messages.map((m) => [m.role, m.status, m.content === text]),
    [
      ["user", "done", true],
      ["assistant", "error", false],
    ],
    "the user's message is kept",
  );
});
