/**
 * The memory browser's facts and entities slices on the real engine: edit, pin, delete and restore a fact, its
 * history and undo; entity filter; the unified search; a reply's memories looked up by id.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { openTempEngine } from "../support/tempEngine.ts";
import { storeOnEngine } from "./rendererEngineTransport.ts";

async function factStore(t: Parameters<typeof openTempEngine>[0]) {
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true });
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  const lives = await engine.call("facts.create", {
    subject: "Ada",
    predicate: "lives in",
    object: "Lyon",
    statement: "Ada lives in Lyon.",
  });
  const works = await engine.call("facts.create", {
    subject: "Bruno",
    predicate: "works at",
    object: "the bakery",
    statement: "Bruno works at the bakery.",
  });
  store.getState().setMemoryTab("facts");
  await store.getState().loadFacts();
  return { engine, dataDir, store, lives, works };
}

const shown = (store: Awaited<ReturnType<typeof factStore>>["store"], id: string) =>
  store.getState().factPage?.facts.find((fact) => fact.id === id);

test("an edit and a pin sent together both stick, in the list and in the engine, as the user's version", async (t) => {
  const { engine, store, lives } = await factStore(t);
  const [edited] = await Promise.all([
    store.getState().editFact(lives.id, { statement: "Ada lives in Lyon, near the river.", object: "Lyon" }),
    store.getState().pinFact(lives.id, true),
  ]);
  assert.equal(edited, true);
  const stored = await engine.call("facts.get", { id: lives.id });
  assert.equal(stored.statement, "Ada lives in Lyon, near the river.");
  assert.equal(stored.pinned, true);
  assert.equal(stored.editedByUser, true);
  await store.getState().loadFacts();
  assert.equal(shown(store, lives.id)?.statement, "Ada lives in Lyon, near the river.");
  assert.equal(shown(store, lives.id)?.pinned, true);
});

test("a fact's history shows the edit, and Undo brings the old sentence back", async (t) => {
  const { engine, store, lives } = await factStore(t);
  await store.getState().editFact(lives.id, { statement: "Ada lives in Paris.", object: "Paris" });
  await store.getState().loadFactHistory(lives.id);
  const entries = store.getState().factHistory[lives.id]!;
  const edit = entries.find((entry) => entry.action !== "add" && entry.undoable);
  assert.ok(edit, `an undoable edit is listed (saw ${entries.map((entry) => entry.action).join(", ")})`);
  assert.equal(await store.getState().undoFactChange(lives.id, edit.id), true);
  assert.equal(shown(store, lives.id)?.statement, "Ada lives in Lyon.");
  assert.equal((await engine.call("facts.get", { id: lives.id })).object, "Lyon");
  // The same undo again no longer applies: refused with a reason, nothing changes.
  assert.equal(await store.getState().undoFactChange(lives.id, edit.id), false);
  assert.ok(store.getState().factError);
  assert.equal((await engine.call("facts.get", { id: lives.id })).statement, "Ada lives in Lyon.");
});

test("an empty correction is refused with a reason and the fact is unchanged", async (t) => {
  const { engine, store, lives } = await factStore(t);
  assert.equal(await store.getState().editFact(lives.id, { statement: "   " }), false);
  assert.ok(store.getState().factError);
  assert.equal((await engine.call("facts.get", { id: lives.id })).statement, "Ada lives in Lyon.");
});

test("delete hides a fact from the default list; the Deleted filter shows it and Restore brings it back", async (t) => {
  const { store, lives, works } = await factStore(t);
  await store.getState().removeFact(lives.id);
  assert.equal(shown(store, lives.id)?.status, "deleted");
  await store.getState().loadFacts();
  assert.deepEqual(
    store.getState().factPage?.facts.map((fact) => fact.id),
    [works.id],
  );
  store.getState().setFactFilter({ status: "deleted" });
  await store.getState().loadFacts();
  assert.deepEqual(
    store.getState().factPage?.facts.map((fact) => fact.id),
    [lives.id],
  );
  await store.getState().restoreFact(lives.id);
  store.getState().setFactFilter({ status: "" });
  await store.getState().loadFacts();
  assert.equal(store.getState().factPage?.total, 2);
});

test("filtering by entity lists only its facts; an entity's Facts button does the same", async (t) => {
  const { store, works } = await factStore(t);
  store.getState().setFactFilter({ entity: "Bruno" });
  await store.getState().loadFacts();
  assert.deepEqual(
    store.getState().factPage?.facts.map((fact) => fact.id),
    [works.id],
  );
  store.getState().setFactFilter({ entity: "" });
  await store.getState().loadEntities();
  const ada = store.getState().entityPage?.entities.find((entity) => entity.name === "Ada");
  assert.ok(ada);
  store.getState().showEntityFacts(ada);
  await store.getState().loadFacts();
  assert.equal(store.getState().memoryTab, "facts");
  assert.deepEqual(
    store.getState().factPage?.facts.map((fact) => fact.subject),
    ["Ada"],
  );
});

test("the memory search lists facts, entities and turns together", async (t) => {
  const { engine, store, lives } = await factStore(t);
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Ada called from Lyon yesterday." }] });
  store.getState().setMemoryQuery("Lyon");
  await store.getState().runMemorySearch();
  const state = store.getState();
  assert.deepEqual(
    state.memoryFactHits?.map((fact) => fact.id),
    [lives.id],
  );
  assert.ok(state.memoryEntityHits?.some((entity) => entity.name === "Lyon"));
  assert.ok(state.memoryHits?.some((hit) => hit.kind === "episode" && hit.text.includes("called from Lyon")));
  assert.ok(!state.memoryHits?.some((hit) => hit.kind === "fact"), "facts are listed once, whole");
});

test("a reply's memories are looked up by id: turns, facts and summaries; unknown ids are counted", async (t) => {
  const { engine, store, lives } = await factStore(t);
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "Ada moved to Lyon in May." }],
  });
  const profile = await engine.call("summaries.update", { text: "Has a friend called Ada." });
  store.getState().openMemories([episodeIds[0]!, lives.id, profile.id, "episode_gone"], conversationId);
  assert.equal(store.getState().screen, "memory");
  for (let waited = 0; !store.getState().focusedMemories && waited < 3000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const focused = store.getState().focusedMemories!;
  assert.deepEqual(
    focused.episodes.map((episode) => episode.text),
    ["Ada moved to Lyon in May."],
  );
  assert.deepEqual(
    focused.facts.map((fact) => fact.id),
    [lives.id],
  );
  assert.deepEqual(
    focused.summaries.map((summary) => summary.text),
    ["Has a friend called Ada."],
  );
  assert.deepEqual(focused.missing, ["episode_gone"]);
});

test("episodes.get answers the turns asked for, in that order, and names the ids it does not have", async (t) => {
  const { engine } = await openTempEngine(t);
  const { episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "First." },
      { speaker: "user", text: "Second." },
    ],
  });
  const answer = await engine.call("episodes.get", { ids: [episodeIds[1]!, "nope", episodeIds[0]!] });
  assert.deepEqual(
    answer.episodes.map((episode) => episode.text),
    ["Second.", "First."],
  );
  assert.deepEqual(answer.missing, ["nope"]);
  const refused = await engine.dispatch("episodes.get", { ids: [] });
  assert.equal(refused.ok ? "ok" : refused.error.code, "bad_input");
});
