/**
 * The chat feature's slices on the real engine (scripted model, job queue running): what the chat screen shows as a
 * reply streams, stops and is regenerated; the context meter's numbers; imported conversations as transcripts; the
 * conversation list's rename, delete and search.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { storeOnEngine, until } from "./rendererEngineTransport.ts";

const reply = "Your sister Ada lives in Lyon, as you told me before today.";

async function chatStore(t: Parameters<typeof openTempEngine>[0], delayMs = 5) {
  const model = new ScriptedChatModel({ reply: () => reply });
  model.delayMs = delayMs;
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model), runJobs: true });
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  await store.getState().loadSettings();
  return { engine, store, model };
}

const lastReply = (store: ReturnType<typeof storeOnEngine>["store"]) => {
  const { selectedConversationId, messagesByConversation } = store.getState();
  return messagesByConversation[selectedConversationId ?? ""]?.findLast((message) => message.role === "assistant");
};

test("a reply streams into the open conversation token by token, then settles with the prompt's token count", async (t) => {
  const { store } = await chatStore(t);
  assert.equal(await store.getState().send("Where does my sister Ada live?"), true);
  const seen = new Set<string>();
  await until(
    () => {
      const message = lastReply(store);
      if (message?.status === "streaming") seen.add(message.content);
      return message?.status === "done";
    },
    10_000,
    "the reply to finish",
  );
  assert.ok(seen.size >= 3, `the text grew in several steps (saw ${seen.size})`);
  assert.ok(
    [...seen].every((partial) => reply.startsWith(partial)),
    "each step is a prefix of the reply",
  );
  assert.equal(lastReply(store)?.content, reply);
  const conversationId = store.getState().selectedConversationId!;
  const used = store.getState().promptTokens[conversationId];
  assert.ok(used !== undefined && used > 0, "chat.done carried the prompt's tokens");
  assert.ok(used < store.getState().settings!.promptBudgetTokens, "within the budget");
});

test("stop mid-reply keeps what was said so far, marked stopped", async (t) => {
  const { store } = await chatStore(t, 40);
  await store.getState().send("Tell me about Ada.");
  await until(() => (lastReply(store)?.content.length ?? 0) > 0, 10_000, "the first tokens");
  await store.getState().stop(lastReply(store)!.id);
  await until(() => lastReply(store)?.status === "stopped", 5000, "the stopped reply");
  const stopped = lastReply(store)!;
  assert.ok(stopped.content.length > 0 && stopped.content.length < reply.length, "part of the reply is kept");
});

test("regenerate replaces the last reply with a new one", async (t) => {
  const { store } = await chatStore(t);
  await store.getState().send("Where does Ada live?");
  await until(() => lastReply(store)?.status === "done", 10_000, "the first reply");
  const first = lastReply(store)!.id;
  await store.getState().regenerate(first);
  await until(() => lastReply(store)?.id !== first && lastReply(store)?.status === "done", 10_000, "the new reply");
  const { messagesByConversation, selectedConversationId } = store.getState();
  const messages = messagesByConversation[selectedConversationId!]!;
  assert.deepEqual(
    messages.map((message) => message.role),
    ["user", "assistant"],
  );
  assert.ok(!messages.some((message) => message.id === first), "the old reply is gone");
});

test("a conversation that came in by memory.ingest opens as its transcript, with speakers and original times", async (t) => {
  const { engine, store } = await chatStore(t);
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "Caroline", text: "I went to a support group yesterday.", at: "2023-05-07T13:56:00.000Z" },
      { speaker: "Melanie", text: "How did it go?", at: "2023-05-07T13:57:00.000Z" },
    ],
  });
  await store.getState().loadConversations();
  await store.getState().selectConversation(conversationId);
  assert.deepEqual(store.getState().messagesByConversation[conversationId], []);
  const transcript = store.getState().transcripts[conversationId];
  assert.equal(transcript?.total, 2);
  assert.deepEqual(
    transcript?.episodes.map((episode) => [episode.speaker, episode.at, episode.text]),
    [
      ["Caroline", "2023-05-07T13:56:00.000Z", "I went to a support group yesterday."],
      ["Melanie", "2023-05-07T13:57:00.000Z", "How did it go?"],
    ],
  );
  // Pressing New does not reuse it as "empty": it has turns.
  await store.getState().createConversation();
  assert.notEqual(store.getState().selectedConversationId, conversationId);
});

test("renames and deletes sent together all land; deleting the open conversation opens the next one", async (t) => {
  const { engine, store } = await chatStore(t);
  const made = await Promise.all(
    ["One", "Two", "Three"].map((title) => engine.call("conversations.create", { title })),
  );
  await store.getState().loadConversations();
  const results = await Promise.all(
    made.map((conversation, index) => store.getState().renameConversation(conversation.id, `Renamed ${index}`)),
  );
  assert.deepEqual(results, [true, true, true]);
  const titles = (await engine.call("conversations.list", {})).conversations.map((c) => c.title).sort();
  assert.deepEqual(titles, ["Renamed 0", "Renamed 1", "Renamed 2"]);
  assert.deepEqual(
    store
      .getState()
      .conversations.map((c) => c.title)
      .sort(),
    titles,
  );

  const [first, second, third] = store.getState().conversations;
  await store.getState().selectConversation(first!.id);
  const deleted = await Promise.all([
    store.getState().deleteConversation(first!.id),
    store.getState().deleteConversation(second!.id),
  ]);
  assert.deepEqual(deleted, [true, true]);
  assert.deepEqual(
    store.getState().conversations.map((c) => c.id),
    [third!.id],
  );
  assert.equal(store.getState().selectedConversationId, third!.id);
  assert.deepEqual(
    (await engine.call("conversations.list", {})).conversations.map((c) => c.id),
    [third!.id],
  );
});

test("a refused rename says why and changes nothing", async (t) => {
  const { engine, store } = await chatStore(t);
  const conversation = await engine.call("conversations.create", { title: "Kept" });
  await store.getState().loadConversations();
  assert.equal(await store.getState().renameConversation(conversation.id, "x".repeat(500)), false);
  assert.match(store.getState().notice ?? "", /title/);
  assert.equal((await engine.call("conversations.list", {})).conversations[0]?.title, "Kept");
});

test("the conversation search finds a conversation by what was said in it, not only by its title", async (t) => {
  const { engine, store } = await chatStore(t);
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "The plumber comes on Tuesday to fix the boiler." }],
  });
  await engine.call("conversations.create", { title: "Unrelated" });
  await store.getState().loadConversations();
  store.getState().setConversationQuery("boiler");
  await store.getState().searchConversationContent();
  assert.deepEqual(store.getState().conversationContentMatches, [conversationId]);
  store.getState().setConversationQuery("");
  assert.deepEqual(store.getState().conversationContentMatches, []);
});
