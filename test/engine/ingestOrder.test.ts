import { test } from "node:test";
import assert from "node:assert/strict";
import type { EventPayload } from "../../core/api/index.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";

/** Twenty words that share no stem, one for each concurrently ingested turn. */
const words = [
  "apricot",
  "bassoon",
  "cactus",
  "dolphin",
  "eclipse",
  "falcon",
  "glacier",
  "harpoon",
  "igloo",
  "jasmine",
  "kayak",
  "lantern",
  "meteor",
  "nutmeg",
  "origami",
  "pelican",
  "quartz",
  "raccoon",
  "saffron",
  "tornado",
];

test("twenty ingests into one conversation sent together keep arrival order and each turn is found by its word", async (t) => {
  const { engine } = await openTempEngine(t, { runJobs: true });
  const { id: conversationId } = await engine.call("conversations.create", { title: "Words" });
  const results = await Promise.all(
    words.map((word, i) =>
      engine.call("memory.ingest", {
        conversationId,
        turns: [{ speaker: "user", text: `Turn ${i}: today I thought about a ${word}.` }],
      }),
    ),
  );
  const listed = await engine.call("episodes.list", { conversationId });
  assert.equal(listed.total, 20);
  assert.deepEqual(
    listed.episodes.map((episode) => episode.id),
    results.map((result) => result.episodeIds[0]),
    "episodes.list is in the order the calls arrived",
  );
  const misses: string[] = [];
  for (const [i, word] of words.entries()) {
    const { hits } = await engine.call("memory.search", { query: word, limit: 5 });
    if (hits[0]?.id !== results[i]!.episodeIds[0]) misses.push(`${word}: ${hits[0]?.text ?? "nothing"}`);
  }
  assert.deepEqual(misses, [], "each word finds the one turn that holds it");
});

test("chat turns and ingests into one conversation sent together each keep a position of their own", async (t) => {
  const model = new ScriptedChatModel({ reply: (messages) => `Noted: ${messages.at(-1)?.content.slice(-12)}` });
  const { engine } = await openTempEngine(t, { runJobs: true, models: new ScriptedModelService(model) });
  const { id: conversationId } = await engine.call("conversations.create", { title: "Mixed" });
  const done: EventPayload<"chat.done">[] = [];
  engine.events.on("chat.done", (event) => done.push(event));
  const chatWords = words.slice(0, 4);
  const ingestWords = words.slice(4, 10);
  await Promise.all([
    ...chatWords.map((word) => engine.call("chat.send", { conversationId, text: `Please remember the ${word}` })),
    ...ingestWords.map((word) =>
      engine.call("memory.ingest", { conversationId, turns: [{ speaker: "user", text: `I saw a ${word} today.` }] }),
    ),
  ]);
  const deadline = Date.now() + 20_000;
  while (done.length < chatWords.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(done.length, chatWords.length, "every reply finished");

  const listed = await engine.call("episodes.list", { conversationId });
  assert.equal(listed.total, chatWords.length * 2 + ingestWords.length);
  for (const word of [...chatWords, ...ingestWords]) {
    const { hits } = await engine.call("memory.search", { query: word, limit: 5 });
    const own = listed.episodes.filter((episode) => episode.text.includes(word)).map((episode) => episode.id);
    assert.ok(own.includes(hits[0]?.id ?? ""), `${word}: found ${hits[0]?.text ?? "nothing"}`);
  }
});
