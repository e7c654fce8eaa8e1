/**
 * The memory browser's episode, summary and timeline slices on the real engine: forget and restore, pin, edits of
 * summaries, counts per day, the search box, and the first-run choice of a model.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelEntry } from "../../core/api/index.ts";
import { recommendModel } from "../../renderer/features/setup/recommendModel.ts";
import { rangeOfBucket, timelineBuckets } from "../../renderer/features/memory/timelineSlice.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { storeOnEngine, until } from "./rendererEngineTransport.ts";

async function memoryStore(t: Parameters<typeof openTempEngine>[0]) {
  const { engine } = await openTempEngine(t, { runJobs: true });
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "My dentist appointment is on the fourth.", at: "2024-03-01T11:00:00.000Z" },
      { speaker: "assistant", text: "Noted: dentist on the fourth.", at: "2024-03-01T11:01:00.000Z" },
      { speaker: "user", text: "I started learning the cello.", at: "2024-03-05T12:00:00.000Z" },
    ],
  });
  await store.getState().loadConversations();
  return { engine, store, conversationId, episodeIds };
}

test("forget and restore sent together: each turn ends where the last action put it, in the list and the engine", async (t) => {
  const { engine, store, conversationId, episodeIds } = await memoryStore(t);
  await store.getState().loadEpisodes(conversationId);
  const [first, second] = episodeIds as [string, string];
  await Promise.all([store.getState().forgetEpisodes([first]), store.getState().forgetEpisodes([second])]);
  const archived = (id: string) =>
    store.getState().episodePage!.episodes.find((episode) => episode.id === id)?.archived;
  assert.equal(archived(first), true);
  assert.equal(archived(second), true);
  await store.getState().restoreEpisodes([second]);
  const listed = await engine.call("episodes.list", { conversationId, includeArchived: true });
  assert.deepEqual(
    listed.episodes.map((episode) => [episode.id, episode.archived]).sort(),
    [
      [first, true],
      [second, false],
      [episodeIds[2], false],
    ].sort(),
  );
  // The page reloads on memory.changed and agrees with the engine.
  await until(() => archived(second) === false && archived(first) === true, 3000, "the page to agree");
});

test("pinning a turn is kept by the engine and shown in the list", async (t) => {
  const { engine, store, conversationId, episodeIds } = await memoryStore(t);
  await store.getState().loadEpisodes(conversationId);
  await store.getState().pinEpisode(episodeIds[2]!, true);
  assert.equal(store.getState().episodePage!.episodes[2]?.pinned, true);
  const listed = await engine.call("episodes.list", { conversationId });
  assert.equal(listed.episodes.find((episode) => episode.id === episodeIds[2])?.pinned, true);
});

test("Show in chat opens the turn's conversation and marks the turn", async (t) => {
  const { store, conversationId, episodeIds } = await memoryStore(t);
  store.getState().go("memory");
  await store.getState().showTurnInChat({ id: episodeIds[2]!, conversationId, text: "I started learning the cello." });
  assert.equal(store.getState().screen, "chat");
  assert.equal(store.getState().selectedConversationId, conversationId);
  assert.equal(store.getState().chatHighlight?.episodeId, episodeIds[2]);
  assert.equal(store.getState().transcripts[conversationId]?.episodes.length, 3);
});

test("editing the profile and a conversation's summary saves the user's version; an empty one is refused", async (t) => {
  const { engine, store, conversationId } = await memoryStore(t);
  await store.getState().loadSummaries(conversationId);
  const saved = await Promise.all([
    store.getState().saveSummary(null, "Plays the cello; sees a dentist in March."),
    store.getState().saveSummary(conversationId, "Dentist on the fourth, cello lessons."),
  ]);
  assert.deepEqual(saved, [true, true]);
  const shown = store.getState().summariesByConversation[conversationId]!;
  assert.equal(shown.profile?.text, "Plays the cello; sees a dentist in March.");
  assert.equal(shown.conversation?.text, "Dentist on the fourth, cello lessons.");
  assert.equal(shown.conversation?.editedByUser, true);
  assert.equal(await store.getState().saveSummary(conversationId, "   "), false);
  assert.match(store.getState().summaryError ?? "", /text/);
  const stored = await engine.call("summaries.get", { conversationId });
  assert.equal(stored.conversation?.text, "Dentist on the fourth, cello lessons.");
});

test("the timeline counts turns per day from every conversation; a bar's span lists them", async (t) => {
  const { engine, store } = await memoryStore(t);
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "Another conversation, same first day.", at: "2024-03-01T12:30:00.000Z" }],
  });
  await store.getState().loadTimeline();
  const episodes = store.getState().timelineEpisodes!;
  assert.equal(episodes.length, 4);
  const byDay = timelineBuckets(episodes, "day").filter((bucket) => bucket.count > 0);
  assert.deepEqual(
    byDay.map((bucket) => bucket.count),
    [3, 1],
  );
  assert.equal(timelineBuckets(episodes, "day").length, 5, "the empty days between are bars too");
  assert.deepEqual(timelineBuckets(episodes, "month"), [{ key: "2024-03", count: 4 }]);
  assert.deepEqual(rangeOfBucket("2024-02", "month"), { from: "2024-02-01", to: "2024-02-29" });
});

test("the memory search runs on Enter's action and a blank query clears it", async (t) => {
  const { store } = await memoryStore(t);
  store.getState().setMemoryQuery("cello");
  await store.getState().runMemorySearch();
  assert.equal(store.getState().memoryHits?.[0]?.text, "I started learning the cello.");
  assert.equal(store.getState().memoryHitsQuery, "cello");
  store.getState().setMemoryQuery("  ");
  await store.getState().runMemorySearch();
  assert.equal(store.getState().memoryHits, null);
});

test("first run: the recommended model is the catalog's first of the largest tier the RAM reaches", () => {
  const model = (id: string, ramTierGb: number, sizeBytes: number): ModelEntry => ({
    id,
    name: id,
    kind: "chat",
    installed: false,
    status: "available",
    sizeBytes,
    ramTierGb,
  });
  const catalog = [model("small-a", 8, 2e9), model("small-b", 8, 1.5e9), model("mid", 16, 5e9), model("big", 32, 14e9)];
  const gb = 2 ** 30;
  assert.equal(recommendModel(catalog, 16 * gb)?.id, "mid");
  assert.equal(recommendModel(catalog, 15.6 * gb)?.id, "mid", "a 16 GB machine reports a little less");
  assert.equal(recommendModel(catalog, 8 * gb)?.id, "small-a");
  assert.equal(recommendModel(catalog, 64 * gb)?.id, "big");
  assert.equal(recommendModel(catalog, 4 * gb)?.id, "small-b", "below every tier: the smallest download");
  assert.equal(recommendModel([], 8 * gb), null);
});

test("first run: the setup opens on a fresh data folder and not once something is remembered", async (t) => {
  const { engine } = await openTempEngine(t);
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  await Promise.all([
    store.getState().loadConversations(),
    store.getState().loadModels(),
    store.getState().loadSettings(),
  ]);
  store.getState().offerSetupIfFirstRun();
  assert.equal(store.getState().screen, "setup");
  assert.ok((store.getState().stats?.totalMemoryBytes ?? 0) > 0, "stats.get says how much memory the computer has");
  store.getState().skipSetup();
  assert.equal(store.getState().screen, "chat");

  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Hello." }] });
  const later = storeOnEngine(engine);
  t.after(async () => later.dispose());
  await Promise.all([
    later.store.getState().loadConversations(),
    later.store.getState().loadModels(),
    later.store.getState().loadSettings(),
  ]);
  later.store.getState().offerSetupIfFirstRun();
  assert.equal(later.store.getState().screen, "chat");
});
