/** The settings slice on the real engine: changes sent together all land, a refused one says why, null clears. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { openTempEngine } from "../support/tempEngine.ts";
import { storeOnEngine } from "./rendererEngineTransport.ts";

test("memory settings and the offline switch sent together both land; a bad value is refused and changes nothing", async (t) => {
  const { engine } = await openTempEngine(t);
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  await store.getState().loadSettings();
  const saved = await Promise.all([
    store.getState().updateSettings({ promptBudgetTokens: 6000, forgetAfterDays: 90 }),
    store.getState().updateSettings({ offline: true }),
  ]);
  assert.deepEqual(saved, [true, true]);
  const stored = await engine.call("settings.get", {});
  assert.deepEqual([stored.promptBudgetTokens, stored.forgetAfterDays, stored.offline], [6000, 90, true]);

  assert.equal(await store.getState().updateSettings({ promptBudgetTokens: 10 }), false);
  assert.match(store.getState().settingsError ?? "", /promptBudgetTokens/);
  assert.equal((await engine.call("settings.get", {})).promptBudgetTokens, 6000);
  assert.equal(store.getState().settings?.promptBudgetTokens, 6000);
});

test("an OpenAI-compatible server is saved, and Stop using it clears it", async (t) => {
  const { engine } = await openTempEngine(t);
  const { store, dispose } = storeOnEngine(engine);
  t.after(async () => dispose());
  const endpoint = { baseUrl: "http://127.0.0.1:9/v1", model: "llama3.2" };
  assert.equal(await store.getState().updateSettings({ openAiEndpoint: endpoint }), true);
  assert.deepEqual(store.getState().settings?.openAiEndpoint, endpoint);
  assert.equal(await store.getState().updateSettings({ openAiEndpoint: null }), true);
  assert.equal(store.getState().settings?.openAiEndpoint, undefined);
  assert.equal((await engine.call("settings.get", {})).openAiEndpoint, undefined);
});
