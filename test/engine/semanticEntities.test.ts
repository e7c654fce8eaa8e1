import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../core/engine.ts";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";

const at = (day: number) => new Date(Date.UTC(2023, 4, day, 12)).toISOString();

const conversation = [
  { speaker: "Caroline", text: "I went to a support group in Lisbon yesterday with Melanie.", at: at(8) },
  { speaker: "Melanie", text: "That's great! I met Ana Silva from Google there last Friday.", at: at(8) },
  { speaker: "Caroline", text: "Ana told me she is moving to Porto on June 5th.", at: at(9) },
];

test("with no model, turns are read for people, places, organisations and days, linked to the turns", async (t) => {
  const { engine } = await openTempEngine(t);
  const { episodeIds } = await engine.call("memory.ingest", { turns: conversation });
  // Ingest answers before any entity is read: extraction is background work.
  assert.equal((await engine.call("entities.list", {})).total, 0);
  await engine.drainJobs();

  const { entities } = await engine.call("entities.list", { limit: 50 });
  const byName = new Map(entities.map((entity) => [entity.name, entity]));
  assert.equal(byName.get("Caroline")?.type, "person", "a speaker is an entity");
  assert.equal(byName.get("Caroline")?.mentionCount, 2);
  assert.equal(byName.get("Melanie")?.mentionCount, 2, "named in a turn and speaking one");
  assert.equal(byName.get("Lisbon")?.type, "place");
  assert.equal(byName.get("Porto")?.type, "place");
  assert.equal(byName.get("Google")?.type, "organisation");
  assert.equal(byName.get("2023-05-07")?.type, "date", "'yesterday' is the day before the turn");
  assert.equal(byName.get("2023-06-05")?.type, "date");
  // "Ana" after "Ana Silva" is the same person: one entity, mentioned twice.
  assert.equal(byName.get("Ana Silva")?.mentionCount, 2);
  assert.ok(!byName.has("Ana"));

  const places = await engine.call("entities.list", { type: "place" });
  assert.deepEqual(places.entities.map((entity) => entity.name).sort(), ["Lisbon", "Porto"]);
  assert.equal((await engine.call("entities.list", { query: "silva" })).entities[0]?.name, "Ana Silva");

  const caroline = byName.get("Caroline")!;
  const graph = await engine.call("graph.get", { around: caroline.id });
  const neighbours = graph.nodes.filter((node) => node.id !== caroline.id).map((node) => node.label);
  assert.ok(neighbours.includes("Lisbon") && neighbours.includes("Melanie") && neighbours.includes("Porto"));
  assert.ok(graph.edges.every((edge) => edge.kind === "cooccurrence" && edge.weight >= 1));
  const withMelanie = graph.edges.find(
    (edge) =>
      [edge.source, edge.target].includes(byName.get("Melanie")!.id) &&
      [edge.source, edge.target].includes(caroline.id),
  );
  assert.equal(withMelanie?.weight, 1);

  // Reading the same turns again (a job retried after a crash) counts nothing twice.
  await engine.call("memory.ingest", { turns: [{ speaker: "Caroline", text: "Lisbon again.", at: at(10) }] });
  await engine.drainJobs();
  const lisbon = (await engine.call("entities.list", { query: "Lisbon" })).entities[0]!;
  assert.equal(lisbon.mentionCount, 2);
  assert.ok(episodeIds.length === 3);
});

test("merging two entities is logged, survives a restart, and is undone by split or by memory.undo", async (t) => {
  const { engine, dataDir } = await openTempEngine(t);
  await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "Bob Marsh lives near me.", at: at(1) },
      { speaker: "user", text: "Robert Marsh called me today about Lisbon.", at: at(2) },
    ],
  });
  await engine.drainJobs();
  await engine.call("facts.create", {
    subject: "Robert Marsh",
    predicate: "works at",
    object: "Siemens",
    statement: "Robert Marsh works at Siemens.",
  });
  const named = async (name: string) => (await engine.call("entities.list", { query: name })).entities[0]!;
  const bob = await named("Bob Marsh");
  const robert = await named("Robert Marsh");

  // A merge and a rename of the target sent together both take effect.
  const [merged, renamed] = await Promise.all([
    engine.call("entities.merge", { sourceId: robert.id, targetId: bob.id }),
    engine.call("entities.rename", { id: bob.id, name: "Bob R. Marsh" }),
  ]);
  assert.equal(merged.id, bob.id);
  assert.equal(renamed.name, "Bob R. Marsh");
  const after = await engine.call("entities.get", { id: bob.id });
  assert.equal(after.mentionCount, 2);
  assert.deepEqual(after.mergedIds, [robert.id]);
  assert.ok(after.aliases.includes("Robert Marsh") && after.aliases.includes("Bob Marsh"));
  assert.equal((await engine.call("facts.list", { entity: "Bob R. Marsh" })).total, 1, "the merged entity's facts");
  assert.ok(!(await engine.call("entities.list", {})).entities.some((entity) => entity.id === robert.id));
  const graph = await engine.call("graph.get", { around: bob.id });
  assert.ok(graph.nodes.some((node) => node.label === "Siemens"));

  await engine.dispose();
  const reopened = await Engine.open({ dataDir, runJobs: false });
  t.after(() => reopened.dispose());
  assert.deepEqual((await reopened.call("entities.get", { id: bob.id })).mergedIds, [robert.id]);

  const history = await reopened.call("memory.history", { targetId: robert.id });
  const merge = history.entries.find((entry) => entry.action === "merge")!;
  assert.equal(merge.actor, "user");
  assert.equal(merge.undoable, true);
  await reopened.call("memory.undo", { entryId: merge.id });
  const split = await reopened.call("entities.get", { id: robert.id });
  assert.equal(split.mentionCount, 1);
  assert.equal((await reopened.call("facts.list", { entity: "Robert Marsh" })).total, 1);
  assert.equal((await reopened.call("facts.list", { entity: "Bob R. Marsh" })).total, 0);

  // Undoing the same merge again no longer applies; splitting what is not merged is refused: nothing changes.
  const stale = await reopened.dispatch("memory.undo", { entryId: merge.id });
  assert.equal(!stale.ok && stale.error.code, "conflict");
  const notMerged = await reopened.dispatch("entities.split", { id: robert.id });
  assert.equal(!notMerged.ok && notMerged.error.code, "conflict");
  // Merge again, then split: the same result as the undo.
  await reopened.call("entities.merge", { sourceId: robert.id, targetId: bob.id });
  await reopened.call("entities.split", { id: robert.id });
  assert.deepEqual((await reopened.call("entities.get", { id: bob.id })).mergedIds, []);
});

test("relations made by the user show in the graph; deleting one is logged and undoable", async (t) => {
  const { engine } = await openTempEngine(t);
  const ana = await engine.call("facts.create", {
    subject: "Ana",
    predicate: "lives in",
    object: "Porto",
    statement: "Ana lives in Porto.",
  });
  const rui = await engine.call("facts.create", {
    subject: "Rui",
    predicate: "lives in",
    object: "Braga",
    statement: "Rui lives in Braga.",
  });
  const [first, second] = await Promise.all([
    engine.call("relations.create", { sourceId: ana.subjectId, targetId: rui.subjectId, label: "sister of" }),
    engine.call("relations.create", { sourceId: rui.subjectId, targetId: ana.subjectId, label: "brother of" }),
  ]);
  const graph = await engine.call("graph.get", { around: ana.subjectId, depth: 2 });
  assert.deepEqual(
    graph.edges
      .filter((edge) => edge.kind === "user")
      .map((edge) => edge.label)
      .sort(),
    ["brother of", "sister of"],
  );
  assert.ok(
    graph.nodes.some((node) => node.label === "Braga"),
    "two steps away",
  );
  assert.deepEqual((await engine.call("relations.delete", { id: first.id })).deleted, true);
  const again = await engine.dispatch("relations.delete", { id: first.id });
  assert.equal(!again.ok && again.error.code, "not_found");
  const [, deletion] = (await engine.call("memory.history", { targetId: first.id })).entries;
  await engine.call("memory.undo", { entryId: deletion!.id });
  const restored = await engine.call("graph.get", { around: ana.subjectId });
  assert.equal(restored.edges.filter((edge) => edge.kind === "user").length, 2);
  assert.ok(second.id);
});

test("with an embedder, a new name close in meaning to a known entity of the same type becomes its alias", async (t) => {
  const turns = [
    { speaker: "user", text: "We visited Beijing last year.", at: at(1) },
    { speaker: "user", text: "Peking was cold in winter.", at: at(2) },
  ];
  const names = async (embedder: HashingEmbedder | null) => {
    const { engine } = await openTempEngine(t, { models: new ScriptedModelService(null, embedder) });
    await engine.call("memory.ingest", { turns: [turns[0]!] });
    await engine.drainJobs();
    await engine.call("memory.ingest", { turns: [turns[1]!] });
    await engine.drainJobs();
    return (await engine.call("entities.list", { type: "place" })).entities;
  };
  const [beijing, ...others] = await names(new HashingEmbedder({ peking: "beijing" }));
  assert.deepEqual(others, []);
  assert.equal(beijing!.name, "Beijing");
  assert.deepEqual(beijing!.aliases, ["Peking"]);
  assert.equal(beijing!.mentionCount, 2);
  // Without the embedder they are two places: the similarity made them one.
  assert.equal((await names(null)).length, 2);
});
