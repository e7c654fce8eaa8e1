import { test } from "node:test";
import assert from "node:assert/strict";
import { openTempEngine } from "../support/tempEngine.ts";

test("conversations are created, renamed and listed newest first", async (t) => {
  let now = Date.parse("2026-01-01T10:00:00Z");
  const { engine } = await openTempEngine(t, { clock: () => now });
  const first = await engine.call("conversations.create", { title: "Garden" });
  now += 1000;
  const second = await engine.call("conversations.create", {});
  assert.equal(second.title, "New conversation");
  now += 1000;
  const renamed = await engine.call("conversations.rename", { id: first.id, title: "  Garden plans  " });
  assert.equal(renamed.title, "Garden plans");
  const { conversations } = await engine.call("conversations.list", {});
  assert.deepEqual(
    conversations.map((c) => c.title),
    ["Garden plans", "New conversation"],
  );
  assert.equal(conversations[0]!.createdAt, "2026-01-01T10:00:00.000Z");
  assert.equal(conversations[0]!.updatedAt, "2026-01-01T10:00:02.000Z");
});

test("settings are validated, saved and survive a restart", async (t) => {
  const { engine, dataDir } = await openTempEngine(t);
  assert.equal((await engine.call("settings.get", {})).promptBudgetTokens, 3500);
  const refused = await engine.dispatch("settings.update", { promptBudgetTokens: 10 });
  assert.equal(!refused.ok && refused.error.code, "bad_input");
  await engine.call("settings.update", { promptBudgetTokens: 6000, offline: true });
  await engine.dispose();
  const { Engine } = await import("../../core/engine.ts");
  const reopened = await Engine.open({ dataDir, runJobs: false });
  t.after(() => reopened.dispose());
  const settings = await reopened.call("settings.get", {});
  assert.equal(settings.promptBudgetTokens, 6000);
  assert.equal(settings.offline, true);
  assert.equal(settings.forgetAfterDays, 180, "untouched settings keep their defaults");
});

test("stats count what is stored", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "one" },
      { speaker: "assistant", text: "two" },
    ],
  });
  const stats = await engine.call("stats.get", {});
  assert.equal(stats.conversations, 1);
  assert.equal(stats.episodes, 2);
  assert.equal(stats.archivedEpisodes, 0);
  assert.equal(stats.chatModel, null);
  assert.ok(stats.schemaVersion >= 1);
});
