/**
 * The settings' data slice on the real engine: an Engram export re-imported elsewhere brings the memory back; an
 * import from another assistant reports what it did and its progress; a malformed file is refused and changes
 * nothing.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openTempEngine } from "../support/tempEngine.ts";
import { storeOnEngine } from "./rendererEngineTransport.ts";

const transcript = "# Garden plans\n\nUser: The tomatoes go by the south wall.\n\nAssistant: South wall, noted.\n";

test("export as Engram JSON, import it into an empty folder: the conversations and turns are back", async (t) => {
  const { engine: source } = await openTempEngine(t);
  const from = storeOnEngine(source);
  t.after(async () => from.dispose());
  await source.call("memory.ingest", { turns: [{ speaker: "user", text: "My bike is a green Peugeot." }] });
  const content = await from.store.getState().exportMemory("json");
  assert.ok(content && content.includes("green Peugeot"));
  assert.match(from.store.getState().transferResult ?? "", /Exported/);

  const { engine: target } = await openTempEngine(t);
  const to = storeOnEngine(target);
  t.after(async () => to.dispose());
  assert.equal(await to.store.getState().importContent("engram", content, "engram.json"), true);
  assert.match(to.store.getState().transferResult ?? "", /Merged \d+ records/);
  const { hits } = await target.call("memory.search", { query: "bike Peugeot" });
  assert.equal(hits[0]?.text, "My bike is a green Peugeot.");
  assert.equal(to.store.getState().conversations.length, 1, "the conversation list was reloaded");
});

test("a Markdown transcript imports with progress and a summary; twice is left as it was", async (t) => {
  const { engine } = await openTempEngine(t);
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  const progress: string[] = [];
  const unsubscribe = store.subscribe((state) => {
    if (state.transfer?.progress) progress.push(state.transfer.progress.kind);
  });
  t.after(unsubscribe);
  assert.equal(await store.getState().importContent("markdown", transcript, "garden.md"), true);
  assert.equal(store.getState().transferResult, "Imported 1 conversation with 2 turns.");
  assert.ok(progress.includes("import"), `progress was shown (saw ${progress.join(", ") || "nothing"})`);
  assert.deepEqual(
    store.getState().conversations.map((conversation) => conversation.title),
    ["Garden plans"],
  );
  await store.getState().importContent("markdown", transcript, "garden.md");
  assert.match(store.getState().transferResult ?? "", /1 conversation already here/);
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 1);
});

test("by path: the engine reads the file itself; a malformed export is refused whole with a reason", async (t) => {
  const { engine } = await openTempEngine(t);
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  const folder = await mkdtemp(join(tmpdir(), "engram-import-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const file = join(folder, "garden.md");
  await writeFile(file, transcript);
  assert.equal(await store.getState().importPath("markdown", file), true);
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 1);

  assert.equal(await store.getState().importContent("chatgpt", '[{"title": "cut', "broken.json"), false);
  assert.ok(store.getState().transferError);
  assert.equal(store.getState().transfer, null);
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 1);
});

test("delete all memory: nothing remembered is left, in the engine or on screen; settings stay", async (t) => {
  const { engine } = await openTempEngine(t, { runJobs: true });
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  await engine.call("settings.update", { offline: true });
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "My locker code is 4471." },
      { speaker: "user", text: "The spare key is under the blue pot." },
    ],
  });
  await engine.call("episodes.forget", { ids: [episodeIds[1]!] });
  await engine.call("facts.create", {
    subject: "I",
    predicate: "locker code",
    object: "4471",
    statement: "My locker code is 4471.",
  });
  await engine.call("summaries.update", { text: "Keeps a locker at the gym." });
  await engine.call("conversations.import", { source: "markdown", content: transcript });
  await store.getState().loadConversations();
  await store.getState().selectConversation(conversationId);

  assert.equal(await store.getState().wipeMemory("yes please"), false, "only DELETE wipes");
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 2);

  assert.equal(await store.getState().wipeMemory("DELETE"), true, store.getState().transferError ?? "");
  assert.match(store.getState().transferResult ?? "", /Deleted all memory \(2 conversations\)/);
  assert.deepEqual(store.getState().conversations, []);
  assert.deepEqual(store.getState().messagesByConversation, {});
  assert.deepEqual((await engine.call("conversations.list", {})).conversations, []);
  assert.deepEqual((await engine.call("memory.search", { query: "locker code spare key" })).hits, []);
  assert.equal((await engine.call("facts.list", { status: "all" })).total, 0);
  assert.equal((await engine.call("entities.list", {})).total, 0);
  assert.equal((await engine.call("summaries.get", {})).profile, null);
  const stats = await engine.call("stats.get", {});
  assert.deepEqual(
    [stats.conversations, stats.messages, stats.episodes, stats.archivedEpisodes, stats.summaries],
    [0, 0, 0, 0, 0],
  );
  assert.equal((await engine.call("settings.get", {})).offline, true, "settings stay");
  // The same content imports again: the import records went too.
  await engine.call("conversations.import", { source: "markdown", content: transcript });
  assert.equal((await engine.call("conversations.list", {})).conversations.length, 1);
});

test("a wipe and an ingest sent together leave no turn outside a listed conversation", async (t) => {
  const { engine } = await openTempEngine(t, { runJobs: true });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Before the wipe: marmalade." }] });
  const [wiped, ingested] = await Promise.allSettled([
    engine.call("app.wipe", { confirm: "DELETE" }),
    engine.call("memory.ingest", { turns: [{ speaker: "user", text: "During the wipe: marmalade." }] }),
  ]);
  assert.equal(wiped.status, "fulfilled");
  const listed = new Set((await engine.call("conversations.list", {})).conversations.map((c) => c.id));
  const { hits } = await engine.call("memory.search", { query: "marmalade" });
  assert.ok(
    hits.every((hit) => hit.conversationId && listed.has(hit.conversationId)),
    "no orphaned turn",
  );
  assert.ok(!hits.some((hit) => hit.text.startsWith("Before")), "what came before is gone");
  if (ingested.status === "fulfilled") assert.ok(listed.has(ingested.value.conversationId) || hits.length === 0);
});
