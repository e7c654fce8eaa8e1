import { test } from "node:test";
import assert from "node:assert/strict";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { replyDone } from "../support/chatEvents.ts";

/** Resolves with the chat.done event of one reply. */
test("with no model the user's message is kept and the reply fails with a clear no_model error", async (t) => {
  const { engine } = await openTempEngine(t);
  const sent = await engine.call("chat.send", { text: "Remember that my sister is called Ana." });
  const done = await replyDone(engine, sent.assistantMessageId);
  assert.equal(done.status, "error");
  assert.equal(done.error?.code, "no_model");
  const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
  assert.deepEqual(
    messages.map((m) => [m.role, m.status]),
    [
      ["user", "done"],
      ["assistant", "error"],
    ],
  );
  assert.match(messages[1]!.error ?? "", /No chat model/);
  // Still remembered and searchable without a model.
  const { hits } = await engine.call("memory.search", { query: "sister name" });
  assert.equal(hits[0]?.text, "Remember that my sister is called Ana.");
  const [conversation] = (await engine.call("conversations.list", {})).conversations;
  assert.equal(conversation?.title, "Remember that my sister is called Ana.");
});

test("an empty conversation takes its title from the first message", async (t) => {
  const { engine } = await openTempEngine(t);
  const { id } = await engine.call("conversations.create", {});
  const sent = await engine.call("chat.send", { conversationId: id, text: "Plan the garden fence\nwith details" });
  await replyDone(engine, sent.assistantMessageId);
  const [conversation] = (await engine.call("conversations.list", {})).conversations;
  assert.equal(conversation?.title, "Plan the garden fence");
});

test("a reply streams, is stored with the memories its prompt used, and is itself remembered", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "Your sister is called Ana." });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const first = await engine.call("chat.send", { text: "My sister is called Ana and she lives in Porto." });
  await replyDone(engine, first.assistantMessageId);
  const other = await engine.call("chat.send", { text: "What is the name of my sister?" });
  const tokens: string[] = [];
  const off = engine.events.on("chat.token", (event) => {
    if (event.assistantMessageId === other.assistantMessageId) tokens.push(event.text);
  });
  const done = await replyDone(engine, other.assistantMessageId);
  off();
  assert.equal(done.status, "done");
  assert.equal(tokens.join(""), "Your sister is called Ana.");

  // A new conversation (no working memory), so the sister fact can only come from recall.
  const prompt = model.prompts.at(-1)!;
  assert.equal(prompt[0]!.role, "system");
  assert.equal(prompt.at(-1)!.content, "What is the name of my sister?");
  const { messages } = await engine.call("messages.list", { conversationId: other.conversationId });
  const reply = messages.find((m) => m.id === other.assistantMessageId)!;
  assert.equal(reply.content, "Your sister is called Ana.");
  assert.equal(reply.status, "done");
  assert.ok(reply.memoryIds.length > 0, "the reply records the memories it used");
  assert.equal(first.conversationId === other.conversationId, false);
  assert.match(prompt[0]!.content, /My sister is called Ana and she lives in Porto\./);
  const { hits } = await engine.call("memory.search", { query: "sister called Ana" });
  assert.ok(
    hits.some((hit) => hit.speaker === "assistant"),
    "the assistant's reply is an episode too",
  );
});

test("stop keeps what streamed so far with status stopped", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "one two three four five six seven eight nine ten ".repeat(20) });
  model.delayMs = 5;
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const sent = await engine.call("chat.send", { text: "Count for me." });
  await new Promise<void>((resolve) => {
    const off = engine.events.on("chat.token", () => {
      off();
      resolve();
    });
  });
  const done = replyDone(engine, sent.assistantMessageId);
  assert.deepEqual(await engine.call("chat.stop", { assistantMessageId: sent.assistantMessageId }), { stopped: true });
  assert.equal((await done).status, "stopped");
  const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
  const reply = messages.at(-1)!;
  assert.equal(reply.status, "stopped");
  assert.ok(reply.content.startsWith("one "), "the partial text is kept");
  assert.ok(reply.content.length < 200);
  assert.deepEqual(await engine.call("chat.stop", { assistantMessageId: sent.assistantMessageId }), { stopped: false });
});

test("regenerate replaces the reply with a new one to the same message", async (t) => {
  let n = 0;
  const model = new ScriptedChatModel({ reply: () => `Answer number ${++n}.` });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const sent = await engine.call("chat.send", { text: "Tell me something." });
  await replyDone(engine, sent.assistantMessageId);
  const again = await engine.call("chat.regenerate", { assistantMessageId: sent.assistantMessageId });
  await replyDone(engine, again.assistantMessageId);
  const { messages } = await engine.call("messages.list", { conversationId: sent.conversationId });
  assert.deepEqual(
    messages.map((m) => m.content),
    ["Tell me something.", "Answer number 2."],
  );
  const { hits } = await engine.call("memory.search", { query: "Answer number" });
  assert.equal(hits[0]?.text, "Answer number 2.");
  assert.ok(!hits.some((h) => h.text === "Answer number 1."), "the replaced reply is forgotten");
});

test("the compact summary and the profile follow the conversation and lead the next prompt", async (t) => {
  const model = new ScriptedChatModel({
    reply: () => "Noted.",
    json: (messages) => {
      const system = messages[0]!.content;
      return system.includes("profile")
        ? { summary: "The user is Sam, a nurse who loves hiking." }
        : { summary: "Sam talked about hiking plans." };
    },
  });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const sent = await engine.call("chat.send", { text: "I'm Sam, a nurse, and I love hiking." });
  await replyDone(engine, sent.assistantMessageId);
  await engine.drainJobs();
  const summaries = await engine.call("summaries.get", { conversationId: sent.conversationId });
  assert.equal(summaries.conversation?.text, "Sam talked about hiking plans.");
  assert.equal(summaries.conversation?.turnCount, 2);
  assert.equal(summaries.profile?.text, "The user is Sam, a nurse who loves hiking.");

  const next = await engine.call("chat.send", { conversationId: sent.conversationId, text: "Any weekend ideas?" });
  await replyDone(engine, next.assistantMessageId);
  const system = model.prompts.at(-1)![0]!.content;
  assert.ok(system.indexOf("The user is Sam") < system.indexOf("Sam talked about hiking plans."));
  assert.ok(system.startsWith("You are Engram"), "the stable prefix comes first");

  const edited = await engine.call("summaries.update", { text: "The user is Sam, a nurse. Vegetarian." });
  assert.equal(edited.editedByUser, true);
  assert.equal((await engine.call("summaries.get", {})).profile?.text, "The user is Sam, a nurse. Vegetarian.");
});

test("summary work waits for a model and runs once one is there", async (t) => {
  const service = new ScriptedModelService(null);
  const { engine } = await openTempEngine(t, { models: service });
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I moved to Lisbon in March." }],
  });
  await engine.drainJobs();
  assert.equal((await engine.call("summaries.get", { conversationId })).conversation, null);
  assert.ok((await engine.call("stats.get", {})).pendingJobs > 0);
  service.chat = new ScriptedChatModel({ json: () => ({ summary: "The user moved to Lisbon in March." }) });
  engine.wakeJobs();
  await engine.drainJobs();
  assert.equal(
    (await engine.call("summaries.get", { conversationId })).conversation?.text,
    "The user moved to Lisbon in March.",
  );
  assert.equal((await engine.call("stats.get", {})).pendingJobs, 0);
});

test("deleting a conversation removes its messages, memories and summaries", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "Sure." });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const sent = await engine.call("chat.send", { text: "My bank PIN hint is the dog's birthday." });
  await replyDone(engine, sent.assistantMessageId);
  await engine.drainJobs();
  await engine.call("conversations.delete", { id: sent.conversationId });
  const { hits } = await engine.call("memory.search", { query: "bank PIN hint" });
  assert.deepEqual(
    hits.filter((hit) => hit.kind !== "summary" || hit.id !== "profile"),
    [],
    "nothing of it is left but what the user profile learned (the user can edit that)",
  );
  const gone = await engine.dispatch("messages.list", { conversationId: sent.conversationId });
  assert.equal(!gone.ok && gone.error.code, "not_found");
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.messages, 0);
  assert.equal(stats.episodes, 0);
});

test("a recalled answer comes with the turn it answers, right before it in the prompt", async (t) => {
  const model = new ScriptedChatModel({ reply: () => "It was your grandmother's violin." });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  await engine.call("memory.ingest", {
    turns: [
      { speaker: "Sam", text: "We cleared out the loft over the weekend." },
      { speaker: "Ana", text: "Did you find anything good up there?" },
      { speaker: "Sam", text: "An old violin that belonged to my grandmother!" },
      { speaker: "Ana", text: "Lovely. Are you going to learn to play it?" },
    ],
  });
  const sent = await engine.call("chat.send", { text: "Which violin did I find?" });
  await replyDone(engine, sent.assistantMessageId);
  const lines = model.prompts.at(-1)![0]!.content.split("\n");
  const answer = lines.findIndex((line) => line.endsWith("Sam: An old violin that belonged to my grandmother!"));
  assert.ok(answer > 0, lines.join("\n"));
  // It shares no word with the question, yet stands right before the answer.
  assert.match(lines[answer - 1]!, /Ana: Did you find anything good up there\?$/);
});
