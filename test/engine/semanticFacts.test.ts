import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../core/engine.ts";
import { openTempEngine } from "../support/tempEngine.ts";

const lives = (place: string, validFrom?: string) => ({
  subject: "Ana",
  predicate: "lives in",
  object: place,
  statement: `Ana lives in ${place}.`,
  ...(validFrom ? { validFrom } : {}),
});

test("a second 'lives in' fact supersedes the first, which keeps its dates and stays in history", async (t) => {
  const { engine } = await openTempEngine(t);
  const lisbon = await engine.call("facts.create", lives("Lisbon", "2020-01-01T00:00:00Z"));
  assert.equal(lisbon.outcome, "add");
  const porto = await engine.call("facts.create", lives("Porto", "2023-06-01T00:00:00Z"));
  assert.equal(porto.outcome, "supersede");

  const current = await engine.call("facts.list", { entity: "Ana", status: "active" });
  assert.deepEqual(
    current.facts.map((fact) => fact.object),
    ["Porto"],
  );
  const all = await engine.call("facts.list", { entity: "ana" });
  assert.deepEqual(
    all.facts.map((fact) => [fact.object, fact.status]),
    [
      ["Porto", "active"],
      ["Lisbon", "superseded"],
    ],
  );
  const old = all.facts[1]!;
  assert.equal(old.validTo, "2023-06-01T00:00:00.000Z");
  assert.equal(old.supersededBy, porto.id);

  const history = await engine.call("memory.history", { targetId: lisbon.id });
  assert.deepEqual(
    history.entries.map((entry) => entry.action),
    ["add", "supersede"],
  );
});

test("the same fact twice, even sent together, is one fact", async (t) => {
  const { engine } = await openTempEngine(t);
  const [first, second] = await Promise.all([
    engine.call("facts.create", lives("Lisbon")),
    engine.call("facts.create", lives("Lisbon")),
  ]);
  assert.equal(first.id, second.id);
  assert.deepEqual([first.outcome, second.outcome].sort(), ["add", "noop"]);
  // The same triple in other words is the same fact too.
  const reworded = await engine.call("facts.create", { ...lives("Lisbon"), statement: "Ana's home is in Lisbon" });
  assert.equal(reworded.outcome, "noop");
  assert.equal((await engine.call("facts.list", {})).total, 1);
});

test("a new 'lives in' leaves 'works at' and other people alone", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", lives("Lisbon"));
  await engine.call("facts.create", {
    subject: "Ana",
    predicate: "works at",
    object: "Siemens",
    statement: "Ana works at Siemens.",
  });
  await engine.call("facts.create", {
    subject: "Rui",
    predicate: "lives in",
    object: "Braga",
    statement: "Rui lives in Braga.",
  });
  await engine.call("facts.create", lives("Porto"));
  const active = await engine.call("facts.list", { status: "active" });
  assert.deepEqual(active.facts.map((fact) => fact.statement).sort(), [
    "Ana lives in Porto.",
    "Ana works at Siemens.",
    "Rui lives in Braga.",
  ]);
});

test("facts are edited, pinned, deleted and restored, each change logged and undoable", async (t) => {
  const { engine } = await openTempEngine(t);
  const fact = await engine.call("facts.create", lives("Lisbon"));
  const edited = await engine.call("facts.update", { id: fact.id, object: "Sintra" });
  assert.equal(edited.statement, "Ana lives in Sintra.");
  assert.equal(edited.editedByUser, true);
  const pinned = await engine.call("facts.update", { id: fact.id, pinned: true });
  assert.equal(pinned.pinned, true);
  const deleted = await engine.call("facts.delete", { id: fact.id });
  assert.equal(deleted.status, "deleted");
  assert.equal((await engine.call("facts.list", {})).total, 0);
  assert.equal((await engine.call("facts.list", { status: "deleted" })).total, 1);
  assert.equal((await engine.call("facts.restore", { id: fact.id })).status, "active");

  const { entries } = await engine.call("memory.history", { targetId: fact.id });
  assert.deepEqual(
    entries.map((entry) => [entry.action, entry.actor]),
    [
      ["add", "user"],
      ["edit", "user"],
      ["pin", "user"],
      ["delete", "user"],
      ["restore", "user"],
    ],
  );
  // A change applies while the fact is as it left it: the pin (restore brought that state back) and the restore.
  assert.deepEqual(
    entries.map((entry) => entry.undoable),
    [false, false, true, false, true],
  );
  const stale = await engine.dispatch("memory.undo", { entryId: entries[1]!.id });
  assert.equal(!stale.ok && stale.error.code, "conflict");
  assert.equal((await engine.call("facts.get", { id: fact.id })).object, "Sintra");

  await engine.call("memory.undo", { entryId: entries[4]!.id });
  assert.equal((await engine.call("facts.get", { id: fact.id })).status, "deleted");
});

test("undoing a knowledge update brings the old fact back as current", async (t) => {
  const { engine } = await openTempEngine(t);
  const lisbon = await engine.call("facts.create", lives("Lisbon", "2020-01-01T00:00:00Z"));
  const porto = await engine.call("facts.create", lives("Porto", "2023-01-01T00:00:00Z"));
  const [added] = (await engine.call("memory.history", { targetId: porto.id })).entries;
  const { entry } = await engine.call("memory.undo", { entryId: added!.id });
  assert.equal(entry.action, "undo");
  assert.equal((await engine.call("facts.get", { id: porto.id })).status, "deleted");
  const restored = await engine.call("facts.get", { id: lisbon.id });
  assert.deepEqual([restored.status, restored.validTo, restored.supersededBy], ["active", null, null]);
  // The same undo again no longer applies.
  const again = await engine.dispatch("memory.undo", { entryId: added!.id });
  assert.equal(!again.ok && again.error.code, "conflict");
});

test("bad input gets a clear error and changes nothing", async (t) => {
  const { engine } = await openTempEngine(t);
  const empty = await engine.dispatch("facts.create", { ...lives("Lisbon"), subject: "  " });
  assert.equal(!empty.ok && empty.error.code, "bad_input");
  assert.match(!empty.ok ? empty.error.message : "", /subject/);
  for (const [method, input] of [
    ["facts.update", { id: "fact_nope", pinned: true }],
    ["facts.delete", { id: "fact_nope" }],
    ["facts.restore", { id: "fact_nope" }],
    ["entities.rename", { id: "ent_nope", name: "X" }],
    ["entities.merge", { sourceId: "ent_a", targetId: "ent_b" }],
    ["entities.split", { id: "ent_nope" }],
    ["relations.delete", { id: "rel_nope" }],
    ["memory.undo", { entryId: "hist_nope" }],
    ["memory.history", { targetId: "nothing" }],
    ["graph.get", { around: "ent_nope" }],
  ] as const) {
    const result = await engine.dispatch(method, input);
    assert.equal(!result.ok && result.error.code, "not_found", method);
    assert.ok(!result.ok && result.error.message.length > 10);
  }
  assert.equal((await engine.call("facts.list", { status: "all" })).total, 0);
  assert.equal((await engine.call("entities.list", {})).total, 0);
});

test("facts, entities and their history survive a restart", async (t) => {
  const { engine, dataDir } = await openTempEngine(t);
  await engine.call("facts.create", lives("Lisbon", "2020-01-01T00:00:00Z"));
  const porto = await engine.call("facts.create", lives("Porto", "2023-01-01T00:00:00Z"));
  await engine.dispose();
  const reopened = await Engine.open({ dataDir, runJobs: false });
  t.after(() => reopened.dispose());
  const facts = await reopened.call("facts.list", { entity: "Ana" });
  assert.deepEqual(
    facts.facts.map((fact) => [fact.object, fact.status]),
    [
      ["Porto", "active"],
      ["Lisbon", "superseded"],
    ],
  );
  assert.equal((await reopened.call("memory.history", { targetId: porto.id })).entries.length, 1);
  const graph = await reopened.call("graph.get", { around: porto.subjectId });
  assert.deepEqual(
    graph.edges.map((edge) => [edge.label, graph.nodes.find((node) => node.id === edge.target)?.label]),
    [["lives in", "Porto"]],
  );
});

test("memory.search finds facts by words, by the entity named and through the graph, current ones first", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", lives("Lisbon", "2020-01-01T00:00:00Z"));
  await engine.call("facts.create", lives("Porto", "2023-01-01T00:00:00Z"));
  await engine.call("facts.create", {
    subject: "Porto",
    predicate: "is known for",
    object: "port wine",
    statement: "Porto is known for port wine.",
  });
  await engine.call("facts.create", {
    subject: "Rui",
    predicate: "plays",
    object: "chess",
    statement: "Rui plays chess on Sundays.",
  });
  const { hits } = await engine.call("memory.search", { query: "Where does Ana live?", limit: 20 });
  const facts = hits.filter((hit) => hit.kind === "fact").map((hit) => hit.text);
  assert.equal(facts[0], "Ana lives in Porto.");
  assert.ok(facts.indexOf("Ana lives in Lisbon.") > 0, "the superseded fact ranks after the current one");
  assert.ok(facts.includes("Porto is known for port wine."), "a fact about a neighbour of Ana in the graph");
  assert.ok(!facts.includes("Rui plays chess on Sundays."));
  const byWords = await engine.call("memory.search", { query: "chess", limit: 8 });
  assert.deepEqual(
    byWords.hits.map((hit) => [hit.kind, hit.text]),
    [["fact", "Rui plays chess on Sundays."]],
  );
});
