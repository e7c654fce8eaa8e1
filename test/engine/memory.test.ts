import { test } from "node:test";
import assert from "node:assert/strict";
import { openTempEngine } from "../support/tempEngine.ts";

const day = 86_400_000;

test("ingested turns are durable, listed in order and found by search", async (t) => {
  const { engine } = await openTempEngine(t);
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "Caroline", text: "I went to a LGBTQ support group yesterday.", at: "2023-05-08T13:56:00Z" },
      { speaker: "Melanie", text: "That's great! How did it feel?", at: "2023-05-08T13:57:00Z" },
      { speaker: "Caroline", text: "I adopted a puppy named Rex last week.", at: "2023-05-08T13:58:00Z" },
    ],
  });
  assert.equal(episodeIds.length, 3);
  const listed = await engine.call("episodes.list", { conversationId });
  assert.equal(listed.total, 3);
  assert.deepEqual(
    listed.episodes.map((episode) => episode.speaker),
    ["Caroline", "Melanie", "Caroline"],
  );
  assert.equal(listed.episodes[0]!.at, "2023-05-08T13:56:00.000Z");

  const { hits } = await engine.call("memory.search", { query: "What pet did Caroline adopt? puppies", limit: 5 });
  assert.equal(hits[0]!.id, episodeIds[2], "the puppy turn ranks first (stemming matches 'puppies')");
  assert.equal(hits[0]!.kind, "episode");
});

test("a search string with quotes and operators is just text", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "O'Neil's café opens at 8" }] });
  const { hits } = await engine.call("memory.search", { query: "O'Neil' OR 1=1; DROP TABLE episodes --" });
  assert.equal(hits.length, 1);
  assert.equal((await engine.call("stats.get", {})).episodes, 1);
});

test("bad input is refused with a clear error and changes nothing", async (t) => {
  const { engine } = await openTempEngine(t);
  const empty = await engine.dispatch("memory.ingest", { turns: [] });
  assert.equal(empty.ok, false);
  const badDate = await engine.dispatch("memory.ingest", { turns: [{ speaker: "user", text: "hi", at: "yesterday" }] });
  assert.deepEqual(!badDate.ok && badDate.error.code, "bad_input");
  const missing = await engine.dispatch("memory.ingest", {
    conversationId: "conv_nope",
    turns: [{ speaker: "u", text: "x" }],
  });
  assert.deepEqual(!missing.ok && missing.error.code, "not_found");
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.episodes, 0);
  assert.equal(stats.conversations, 0);
});

test("forgotten episodes are still found, marked archived, stay listed as archived, and come back on restore", async (t) => {
  const { engine } = await openTempEngine(t);
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "My locker code is 4512." },
      { speaker: "user", text: "I like green tea." },
    ],
  });
  assert.equal((await engine.call("episodes.forget", { ids: [episodeIds[0]!] })).archived, 1);
  // Forgetting demotes, it never hides: the archived turn is still found, and says it is archived.
  const afterForget = (await engine.call("memory.search", { query: "locker code" })).hits;
  assert.deepEqual(
    afterForget.filter((hit) => hit.text.includes("locker")).map((hit) => [hit.id, hit.archived]),
    [[episodeIds[0], true]],
  );
  const withArchive = await engine.call("episodes.list", { conversationId, includeArchived: true });
  assert.deepEqual(
    withArchive.episodes.map((e) => [e.text, e.archived]),
    [
      ["My locker code is 4512.", true],
      ["I like green tea.", false],
    ],
  );
  assert.equal((await engine.call("episodes.list", { conversationId })).total, 1);
  assert.equal((await engine.call("episodes.restore", { ids: [episodeIds[0]!] })).restored, 1);
  const restored = (await engine.call("memory.search", { query: "locker code" })).hits[0]!;
  assert.equal(restored.id, episodeIds[0]);
  assert.equal(restored.archived, undefined);
});

test("forgetting archives long-idle unimportant turns but never pinned ones", async (t) => {
  let now = Date.parse("2024-01-01T00:00:00Z");
  const { engine } = await openTempEngine(t, { clock: () => now });
  const old = new Date(now - 400 * day).toISOString();
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "ok", at: old },
      { speaker: "user", text: "ok thanks", at: old },
      { speaker: "user", text: "My daughter's birthday is on March 3rd, remember it.", at: old },
    ],
  });
  await engine.call("episodes.pin", { id: episodeIds[1]!, pinned: true });
  // Idle age counts from when Engram learned a turn: 400 days on, the unimportant ones have been idle long enough.
  now += 400 * day;
  await engine.call("memory.ingest", { conversationId, turns: [{ speaker: "user", text: "cool" }] });
  now += day;
  await engine.call("settings.update", { forgetAfterDays: 180 });
  const { archived: pruned } = await engine.pruneMemories();
  const listed = await engine.call("episodes.list", { conversationId, includeArchived: true });
  const archived = listed.episodes.filter((e) => e.archived).map((e) => e.text);
  assert.equal(pruned, 1);
  assert.deepEqual(archived, ["ok"], "only the old, unpinned, low-salience turn is archived");
});
