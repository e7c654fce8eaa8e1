/**
 * Deleting a conversation, or regenerating a reply, takes what the semantic memory learned only from those turns
 * (issue 8 defect 3, issue 9): mentions, facts, co-occurrence counts, entities, and their history. Through the
 * contract, with the job queue running as in the app and a scripted model reading facts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Engine } from "../../core/engine.ts";
import { Database } from "../../core/store/database.ts";
import { eq } from "../../core/store/sql.ts";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { factModel, type ScriptedFact } from "../support/factModel.ts";
import { replyDone } from "../support/chatEvents.ts";

const script: Record<string, ScriptedFact[]> = {
  "live in Lisbon": [
    { subject: "User", predicate: "lives in", object: "Lisbon", statement: "The user lives in Lisbon." },
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

/** Semantic rows a data folder still holds of a conversation, read from its tables after the engine closed. */
async function semanticLeftovers(dataDir: string, conversationIds: string[]): Promise<Record<string, number>> {
  const db = await Database.open({ directory: join(dataDir, "db") });
  try {
    const found: Record<string, number> = {};
    for (const id of conversationIds) {
      const mentions = await (await db.table("mentions")).table.countRows(eq("conversationId", id));
      if (mentions > 0) found.mentions = (found.mentions ?? 0) + mentions;
      const facts = (await (await db.table("facts")).table.query().toArray()) as { sources: string }[];
      const fromIt = facts.filter((fact) => fact.sources.includes(id)).length;
      if (fromIt > 0) found.facts = (found.facts ?? 0) + fromIt;
    }
    return found;
  } finally {
    await db.dispose();
  }
}

/** What the user can see of the semantic memory: fact statements, entity names, graph labels, search hits. */
async function visible(engine: Engine, query: string) {
  const facts = await engine.call("facts.list", { status: "all", limit: 1000 });
  const entities = await engine.call("entities.list", { limit: 1000 });
  const graph = await engine.call("graph.get", { limit: 5000 });
  const search = await engine.call("memory.search", { query, limit: 200 });
  return {
    facts: facts.facts,
    statements: facts.facts.map((fact) => fact.statement).sort(),
    entityNames: entities.entities.map((entity) => entity.name).sort(),
    entities: entities.entities,
    graph,
    nodeLabels: graph.nodes.map((node) => node.label).sort(),
    factHits: search.hits.filter((hit) => hit.kind === "fact").map((hit) => hit.text),
  };
}

/**
 * Forgetting updates the in-memory index in place; it must end as a load of the tables left would. Compares what
 * the user sees before and after the index is rebuilt from the tables.
 */
async function assertIndexMatchesTables(engine: Engine): Promise<void> {
  const seen = async () => {
    const { facts } = await engine.call("facts.list", { status: "all", limit: 1000 });
    const { entities } = await engine.call("entities.list", { limit: 1000 });
    const graph = await engine.call("graph.get", { limit: 5000 });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    return { facts, entities, nodes: [...graph.nodes].sort(byId), edges: [...graph.edges].sort(byId) };
  };
  const incremental = await seen();
  await engine.semantic.reload();
  assert.deepEqual(incremental, await seen(), "the index after forgetting equals one loaded from the tables");
}

test("deleting one of two conversations takes what only it taught and keeps the rest, also after a restart", async (t) => {
  const models = new ScriptedModelService(factModel(script), new HashingEmbedder());
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true, models });
  const first = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I live in Lisbon and I work at Siemens." }],
  });
  await engine.drainJobs();
  const second = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "As I said, I live in Lisbon, near the river." }],
  });
  await engine.drainJobs();

  const before = await visible(engine, "Siemens");
  assert.deepEqual(before.statements, ["The user lives in Lisbon.", "The user works at Siemens."]);
  assert.ok(before.entityNames.includes("Siemens") && before.entityNames.includes("Lisbon"));
  assert.ok(before.factHits.includes("The user works at Siemens."), "the fact is found before the delete");
  const siemensFact = before.facts.find((fact) => fact.object === "Siemens")!;
  const siemens = before.entities.find((entity) => entity.name === "Siemens")!;
  const lisbon = before.entities.find((entity) => entity.name === "Lisbon")!;
  const user = before.entities.find((entity) => entity.name === "User")!;
  const userWithLisbon = (graph: typeof before.graph) =>
    graph.edges.find(
      (edge) =>
        edge.kind === "cooccurrence" &&
        [edge.source, edge.target].includes(user.id) &&
        [edge.source, edge.target].includes(lisbon.id),
    );
  assert.equal(userWithLisbon(before.graph)?.weight, 2, "both conversations put the user and Lisbon together");

  await engine.call("conversations.delete", { id: first.conversationId });
  await assertIndexMatchesTables(engine);

  const check = async (engine: Engine, when: string) => {
    const after = await visible(engine, "Siemens");
    assert.deepEqual(after.statements, ["The user lives in Lisbon."], `${when}: facts`);
    assert.deepEqual(
      after.facts[0]!.sources.map((source) => source.conversationId),
      [second.conversationId],
      `${when}: the shared fact keeps only the second conversation's source`,
    );
    assert.ok(!after.entityNames.includes("Siemens"), `${when}: the entity only the deleted one named is gone`);
    assert.ok(after.entityNames.includes("Lisbon") && after.entityNames.includes("User"), `${when}: shared ones stay`);
    assert.ok(!after.nodeLabels.includes("Siemens"), `${when}: graph nodes`);
    assert.ok(!after.graph.edges.some((edge) => edge.factId === siemensFact.id), `${when}: graph edges`);
    assert.equal(userWithLisbon(after.graph)?.weight, 1, `${when}: the link lost the deleted turn's count`);
    assert.ok(!after.factHits.includes("The user works at Siemens."), `${when}: search`);
    const gone = await engine.dispatch("facts.get", { id: siemensFact.id });
    assert.equal(!gone.ok && gone.error.code, "not_found", `${when}: the fact is removed, not hidden`);
    assert.equal((await engine.dispatch("entities.get", { id: siemens.id })).ok, false, `${when}: entity removed`);
    const history = await engine.dispatch("memory.history", { targetId: siemensFact.id });
    assert.ok(
      history.ok ? (history.data as { entries: unknown[] }).entries.length === 0 : history.error.code === "not_found",
      `${when}: no history entry is left to undo it back: ${JSON.stringify(history)}`,
    );
  };
  await check(engine, "this session");

  await engine.dispose();
  assert.deepEqual(await semanticLeftovers(dataDir, [first.conversationId]), {});
  const reopened = await Engine.open({ dataDir, runJobs: true, models });
  t.after(() => reopened.dispose());
  await check(reopened, "after a restart");
});

test("a delete sent together with the entity and fact jobs of its conversation leaves nothing of it", async (t) => {
  const model = factModel(script);
  // Fact calls take a while, and each round's delete is sent while one is running (inside the model).
  model.jsonDelayMs = 80;
  let factCalls = 0;
  const generate = model.generateJson.bind(model);
  model.generateJson = (messages, schema, options) => {
    if ("facts" in ((schema.properties as object) ?? {})) factCalls += 1;
    return generate(messages, schema, options);
  };
  const { engine, dataDir } = await openTempEngine(t, { runJobs: true, models: new ScriptedModelService(model) });
  const deleted: string[] = [];
  for (let round = 0; round < 4; round += 1) {
    const { conversationId } = await engine.call("memory.ingest", {
      turns: Array.from({ length: 6 }, (_, i) => ({
        speaker: "user",
        text: i % 2 === 0 ? `I live in Lisbon with Melanie, round ${round}.` : `I work at Siemens in Porto, turn ${i}.`,
      })),
    });
    // The jobs of the first ingest are under way (a fact call is in the model); more turns and a chat turn arrive
    // together with the delete.
    const callsBefore = factCalls;
    while (factCalls === callsBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, round * 15));
    const results = await Promise.all([
      engine.dispatch("memory.ingest", {
        conversationId,
        turns: [{ speaker: "user", text: "I live in Lisbon and I work at Siemens, still." }],
      }),
      engine.dispatch("chat.send", { conversationId, text: "I live in Lisbon, remember Melanie?" }),
      engine.dispatch("conversations.delete", { id: conversationId }),
    ]);
    assert.ok(results[2].ok, JSON.stringify(results[2]));
    for (const result of results.slice(0, 2)) {
      if (!result.ok) assert.equal(result.error.code, "not_found", JSON.stringify(result.error));
    }
    deleted.push(conversationId);
  }
  await engine.drainJobs();

  const after = await visible(engine, "Lisbon Siemens Melanie");
  assert.deepEqual(after.statements, [], "no fact from a deleted conversation");
  assert.deepEqual(after.entityNames, [], "no entity from a deleted conversation");
  assert.deepEqual(after.graph.nodes, []);
  assert.deepEqual(after.factHits, []);
  await engine.dispose();
  assert.deepEqual(await semanticLeftovers(dataDir, deleted), {});
});

test("a fact the user edited stays when its conversation is deleted, as the user's own words with no source", async (t) => {
  const { engine, dataDir } = await openTempEngine(t, {
    runJobs: true,
    models: new ScriptedModelService(factModel(script)),
  });
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I live in Lisbon and I work at Siemens." }],
  });
  await engine.drainJobs();
  const { facts } = await engine.call("facts.list", {});
  const work = facts.find((fact) => fact.object === "Siemens")!;
  const edited = await engine.call("facts.update", { id: work.id, statement: "I work at Siemens Energy now." });
  assert.equal(edited.editedByUser, true);

  await engine.call("conversations.delete", { id: conversationId });
  await assertIndexMatchesTables(engine);

  const after = await visible(engine, "Siemens");
  assert.deepEqual(after.statements, ["I work at Siemens Energy now."], "the edited fact stays; the other goes");
  const kept = await engine.call("facts.get", { id: work.id });
  assert.deepEqual(kept.sources, [], "its sources in the deleted conversation are dropped");
  assert.equal(kept.status, "active");
  assert.ok(after.entityNames.includes("Siemens"), "the entity the kept fact names stays");
  assert.ok(!after.entityNames.includes("Lisbon"), "the entity only the removed fact and turn named goes");
  // Nothing left to undo back to the wording learned from the deleted conversation.
  const history = await engine.call("memory.history", { targetId: work.id });
  for (const entry of history.entries) {
    const undone = await engine.dispatch("memory.undo", { entryId: entry.id });
    assert.equal(undone.ok, false);
  }
  assert.equal((await engine.call("facts.get", { id: work.id })).statement, "I work at Siemens Energy now.");
  await engine.dispose();
  assert.deepEqual(await semanticLeftovers(dataDir, [conversationId]), {});
});

test("regenerating a reply drops what only the replaced reply taught", async (t) => {
  let replies = 0;
  const model = factModel({}, () =>
    ++replies === 1 ? "You could visit Lisbon with Melanie in May." : "Stay home and rest.",
  );
  const { engine } = await openTempEngine(t, { runJobs: true, models: new ScriptedModelService(model) });
  const sent = await engine.call("chat.send", { text: "Where should I go on holiday, Porto maybe?" });
  await replyDone(engine, sent.assistantMessageId);
  await engine.drainJobs();
  const before = await visible(engine, "Lisbon");
  assert.ok(before.entityNames.includes("Lisbon") && before.entityNames.includes("Melanie"), before.entityNames.join());
  assert.ok(before.entityNames.includes("Porto"));

  const again = await engine.call("chat.regenerate", { assistantMessageId: sent.assistantMessageId });
  await replyDone(engine, again.assistantMessageId);
  await engine.drainJobs();
  await assertIndexMatchesTables(engine);

  const after = await visible(engine, "Lisbon");
  assert.ok(!after.entityNames.includes("Lisbon"), "only the replaced reply named Lisbon");
  assert.ok(!after.entityNames.includes("Melanie"), "only the replaced reply named Melanie");
  assert.ok(!after.nodeLabels.includes("Lisbon") && !after.nodeLabels.includes("Melanie"));
  assert.ok(after.entityNames.includes("Porto"), "what the user's own message named stays");
});

test("a fact superseded by one only a deleted conversation taught is current again", async (t) => {
  const moved = {
    ...script,
    "moved to Porto": [
      { subject: "User", predicate: "lives in", object: "Porto", statement: "The user lives in Porto." },
    ],
  };
  const { engine } = await openTempEngine(t, { runJobs: true, models: new ScriptedModelService(factModel(moved)) });
  await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I live in Lisbon.", at: "2022-01-10T10:00:00Z" }],
  });
  await engine.drainJobs();
  const later = await engine.call("memory.ingest", {
    turns: [{ speaker: "user", text: "I moved to Porto last week.", at: "2023-03-01T10:00:00Z" }],
  });
  await engine.drainJobs();
  const superseded = await engine.call("facts.list", { status: "active" });
  assert.deepEqual(
    superseded.facts.map((fact) => fact.object),
    ["Porto"],
  );

  await engine.call("conversations.delete", { id: later.conversationId });
  await assertIndexMatchesTables(engine);

  const { facts } = await engine.call("facts.list", { status: "all" });
  assert.deepEqual(
    facts.map((fact) => [fact.object, fact.status, fact.validTo, fact.supersededBy]),
    [["Lisbon", "active", null, null]],
  );
  const graph = await engine.call("graph.get", {});
  assert.ok(!graph.nodes.some((node) => node.label === "Porto"));
});
