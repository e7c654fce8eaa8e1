import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../core/engine.ts";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { factModel } from "../support/factModel.ts";

const day = (date: string) => `${date}T10:00:00Z`;

const moves = {
  "I live in Lisbon": [
    { subject: "User", predicate: "lives in", object: "Lisbon", statement: "The user lives in Lisbon." },
  ],
  "moved to Porto": [
    { subject: "User", predicate: "lives in", object: "Porto", statement: "The user lives in Porto." },
  ],
  "work at Siemens": [
    {
      subject: "User",
      predicate: "works at",
      object: "Siemens",
      statement: "The user works at Siemens.",
      objectType: "organisation",
    },
  ],
};

test("knowledge update: Lisbon then Porto; the current answer is Porto, Lisbon superseded with its end date", async (t) => {
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(factModel(moves)) });
  await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "I live in Lisbon and I work at Siemens.", at: day("2022-01-10") },
      { speaker: "assistant", text: "Nice, Lisbon is lovely.", at: day("2022-01-10") },
    ],
  });
  await engine.drainJobs();
  const sent = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "Big news: I moved to Porto last week.", at: day("2023-03-01") }],
  });
  await engine.drainJobs();

  const current = await engine.call("facts.list", { entity: "User", status: "active" });
  assert.deepEqual(current.facts.map((fact) => fact.statement).sort(), [
    "The user lives in Porto.",
    "The user works at Siemens.",
  ]);
  const lisbon = (await engine.call("facts.list", { query: "Lisbon" })).facts[0]!;
  assert.equal(lisbon.status, "superseded");
  assert.equal(lisbon.validTo, "2023-03-01T10:00:00.000Z");
  const porto = current.facts.find((fact) => fact.object === "Porto")!;
  assert.equal(lisbon.supersededBy, porto.id);
  assert.equal(porto.origin, "extracted");
  assert.deepEqual(
    porto.sources.map((source) => source.episodeId),
    sent.episodeIds,
  );
  const history = await engine.call("memory.history", { targetId: lisbon.id });
  assert.deepEqual(
    history.entries.map((entry) => [entry.action, entry.actor]),
    [
      ["add", "assistant"],
      ["supersede", "assistant"],
    ],
  );
  // As of 2022 the graph shows where the user lived then.
  const then = await engine.call("graph.get", { around: porto.subjectId, asOf: "2022-06-01T00:00:00Z" });
  assert.ok(then.nodes.some((node) => node.label === "Lisbon"));
  assert.ok(!then.edges.some((edge) => edge.factId === porto.id));
});

test("a fact said again, in the same or nearly the same words, adds its source to the one fact", async (t) => {
  const model = factModel({
    tea: [{ subject: "User", predicate: "likes", object: "green tea", statement: "The user likes green tea." }],
    matcha: [{ subject: "User", predicate: "like", object: "Green tea!", statement: "the user likes green tea" }],
  });
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
  const first = await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "I love tea." }] });
  const second = await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Tea again, always tea." }] });
  const third = await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "matcha is green tea" }] });
  await engine.drainJobs();
  const { facts } = await engine.call("facts.list", { status: "all" });
  assert.equal(facts.length, 1);
  assert.deepEqual(
    facts[0]!.sources.map((source) => source.episodeId),
    [...first.episodeIds, ...second.episodeIds, ...third.episodeIds],
  );
});

test("with an embedder, a fact in other words (similarity above the threshold) is the same fact", async (t) => {
  const script = {
    puppy: [
      {
        subject: "User",
        predicate: "adopted",
        object: "a puppy named Rex",
        statement: "The user adopted a puppy named Rex.",
      },
    ],
    dog: [
      {
        subject: "User",
        predicate: "has adopted",
        object: "a dog named Rex",
        statement: "The user has adopted a dog named Rex.",
      },
    ],
  };
  const turns = [
    { speaker: "user", text: "We got a puppy!" },
    { speaker: "user", text: "Our dog is called Rex." },
  ];
  const count = async (embedder: HashingEmbedder | null) => {
    const { engine } = await openTempEngine(t, { models: new ScriptedModelService(factModel(script), embedder) });
    await engine.call("memory.ingest", { turns: [turns[0]!] });
    await engine.drainJobs();
    await engine.call("memory.ingest", { turns: [turns[1]!] });
    await engine.drainJobs();
    return (await engine.call("facts.list", { status: "all" })).facts;
  };
  const withEmbedder = await count(new HashingEmbedder({ dog: "puppy" }));
  assert.equal(withEmbedder.length, 1);
  assert.equal(withEmbedder[0]!.sources.length, 2);
  // Words alone do not make them one: the embedder's similarity did.
  assert.equal((await count(null)).length, 2);
});

test("a user's edit beats a later extraction", async (t) => {
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(factModel(moves)) });
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I live in Lisbon.", at: day("2022-01-10") }],
  });
  await engine.drainJobs();
  const lisbon = (await engine.call("facts.list", {})).facts[0]!;
  const edited = await engine.call("facts.update", { id: lisbon.id, object: "Sintra" });
  assert.equal(edited.statement, "The user lives in Sintra.");
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I moved to Porto.", at: day("2023-01-10") }],
  });
  await engine.drainJobs();
  const active = await engine.call("facts.list", { status: "active" });
  assert.deepEqual(
    active.facts.map((fact) => fact.object),
    ["Sintra"],
    "the user's fact stays current",
  );
  const porto = (await engine.call("facts.list", { query: "Porto" })).facts[0]!;
  assert.equal(porto.status, "superseded", "the extraction is kept, below the user's fact");
  assert.equal(porto.supersededBy, lisbon.id);
  // Facts the user typed outrank extraction the same way.
  const typed = await engine.call("facts.create", {
    subject: "User",
    predicate: "works at",
    object: "Bosch",
    statement: "The user works at Bosch.",
  });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "I work at Siemens." }] });
  await engine.drainJobs();
  assert.equal((await engine.call("facts.get", { id: typed.id })).status, "active");
});

test("an edit sent while extraction runs: both land, as if one came after the other", async (t) => {
  const { engine } = await openTempEngine(t, { models: new ScriptedModelService(factModel(moves)) });
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I live in Lisbon.", at: day("2022-01-10") }],
  });
  await engine.drainJobs();
  const lisbon = (await engine.call("facts.list", {})).facts[0]!;
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I moved to Porto.", at: day("2023-01-10") }],
  });
  await Promise.all([
    engine.drainJobs(),
    engine.call("facts.update", { id: lisbon.id, statement: "I live in Lisbon." }),
  ]);
  const facts = (await engine.call("facts.list", { status: "all" })).facts;
  assert.equal(facts.length, 2);
  const edited = facts.find((fact) => fact.id === lisbon.id)!;
  assert.equal(edited.statement, "I live in Lisbon.", "the edit is not lost");
  assert.equal(facts.filter((fact) => fact.status === "active").length, 1, "one place of residence is current");
  const porto = facts.find((fact) => fact.object === "Porto")!;
  // Either order is a consistent history: Porto superseded Lisbon before the edit, or the edit outranked Porto.
  if (porto.status === "active") assert.equal(edited.supersededBy, porto.id);
  else assert.equal(porto.supersededBy, lisbon.id);
});

test("fact extraction waits for a model, survives a restart, and runs once one is loaded", async (t) => {
  const service = new ScriptedModelService(null);
  const { engine, dataDir } = await openTempEngine(t, { models: service });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "I live in Lisbon." }] });
  await engine.drainJobs();
  assert.equal((await engine.call("facts.list", {})).total, 0);
  await engine.dispose();

  const later = new ScriptedModelService(factModel(moves));
  const reopened = await Engine.open({ dataDir, runJobs: false, models: later });
  t.after(() => reopened.dispose());
  await reopened.drainJobs();
  assert.deepEqual(
    (await reopened.call("facts.list", {})).facts.map((fact) => fact.statement),
    ["The user lives in Lisbon."],
  );
});
