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
