import { test } from "node:test";
import assert from "node:assert/strict";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { replyDone } from "../support/chatEvents.ts";

test("facts enter the chat prompt as their own section, current before superseded, with dates", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "Ana lives in Porto." });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const lisbon = await engine.call("facts.create", {
    subject: "Ana",
    predicate: "lives in",
    object: "Lisbon",
    statement: "Ana lives in Lisbon.",
    validFrom: "2019-05-01T00:00:00Z",
  });
  const porto = await engine.call("facts.create", {
    subject: "Ana",
    predicate: "lives in",
    object: "Porto",
    statement: "Ana lives in Porto.",
    validFrom: "2023-02-01T00:00:00Z",
  });
  const sent = await engine.call("chat.send", { text: "Where does Ana live these days?" });
  const done = await replyDone(engine, sent.assistantMessageId);
  assert.equal(done.status, "done");
  const system = model.prompts.at(-1)![0]!.content;
  const current = system.indexOf("- [since 2023-02-01] Ana lives in Porto.");
  const past = system.indexOf("- [no longer true; from 2019-05-01 until 2023-02-01] Ana lives in Lisbon.");
  assert.ok(current > 0 && past > current, system);
  assert.ok(system.indexOf("Facts you know") < current);
  assert.ok(done.memoryIds.includes(porto.id) && done.memoryIds.includes(lisbon.id));
  // A deleted fact is not recalled into the prompt.
  await engine.call("facts.delete", { id: lisbon.id });
  const next = await engine.call("chat.send", { conversationId: sent.conversationId, text: "And before that, Ana?" });
  await replyDone(engine, next.assistantMessageId);
  assert.ok(!model.prompts.at(-1)![0]!.content.includes("Ana lives in Lisbon."));
});
