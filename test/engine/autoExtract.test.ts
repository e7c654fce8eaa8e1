/**
 * The automatic-extraction switch (Settings, Memory): off, new turns are not read for facts or entities; on again,
 * turns stored from then on are. The user's own facts stay either way. Through the contract, jobs running.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { factModel } from "../support/factModel.ts";
import { ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";

/** A model that finds where the user lives in the turns that say so. */
const cityModel = () =>
  factModel({
    "I live in Lisbon": [
      { subject: "User", predicate: "lives in", object: "Lisbon", statement: "The user lives in Lisbon." },
    ],
    "I live in Porto": [
      { subject: "User", predicate: "lives in", object: "Porto", statement: "The user lives in Porto." },
    ],
  });

test("with automatic extraction off, new turns give no facts or entities; switched on, later turns do again", async (t) => {
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(cityModel()), runJobs: true });
  const settings = await engine.call("settings.get", {});
  assert.equal(settings.autoExtract, true, "on by default");

  // The switch and a turn sent together: the turn is read or not, whichever landed first, and nothing fails.
  const [switched] = await Promise.all([
    engine.call("settings.update", { autoExtract: false }),
    engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Hello there." }] }),
  ]);
  assert.equal(switched.autoExtract, false);
  await engine.call("facts.create", {
    subject: "User",
    predicate: "likes",
    object: "tea",
    statement: "The user likes tea.",
  });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "I live in Lisbon, near Marta Silva." }] });
  await engine.drainJobs();
  let facts = (await engine.call("facts.list", { status: "all" })).facts.map((fact) => fact.statement);
  assert.deepEqual(facts, ["The user likes tea."], "only the user's own fact");
  assert.ok(!(await engine.call("entities.list", {})).entities.some((entity) => entity.name === "Lisbon"));
  const { hits } = await engine.call("memory.search", { query: "Lisbon" });
  assert.ok(hits.length > 0, "the turn itself is remembered and found");

  assert.equal((await engine.call("settings.update", { autoExtract: true })).autoExtract, true);
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Now I live in Porto." }] });
  await engine.drainJobs();
  facts = (await engine.call("facts.list", { status: "all" })).facts.map((fact) => fact.statement);
  assert.deepEqual(facts.sort(), ["The user likes tea.", "The user lives in Porto."]);
  assert.ok((await engine.call("entities.list", {})).entities.some((entity) => entity.name === "Porto"));
  assert.ok(!(await engine.call("entities.list", {})).entities.some((entity) => entity.name === "Lisbon"));
});

test("a setting that is not a boolean is refused and changes nothing", async (t) => {
  const { engine } = await openTempEngine(t, {});
  const refused = await engine.dispatch("settings.update", { autoExtract: "no" });
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.error.code, "bad_input");
  assert.equal((await engine.call("settings.get", {})).autoExtract, true);
});

test("turns queued for reading before the switch went off are not read either", async (t) => {
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(cityModel()), runJobs: false });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "I live in Lisbon, near Marta Silva." }] });
  await engine.call("settings.update", { autoExtract: false });
  await engine.drainJobs();
  assert.deepEqual((await engine.call("facts.list", { status: "all" })).facts, []);
  assert.deepEqual((await engine.call("entities.list", {})).entities, []);
});
