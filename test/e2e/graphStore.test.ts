import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventName } from "../../core/api/index.ts";
import type { Engine } from "../../core/engine.ts";
import { ApiClient } from "../../renderer/api/apiClient.ts";
import type { Transport } from "../../renderer/api/transport.ts";
import { connectEvents, createAppStore, type AppStore } from "../../renderer/store/appStore.ts";
import { openTempEngine } from "../support/tempEngine.ts";

/**
 * The renderer's store wired straight to a real engine's dispatch, as the IPC bridge and the HTTP server do;
 * `delayOf` holds some answers back, as a slow query over a real transport would.
 */
function storeOn(engine: Engine, delayOf: (method: string, input: unknown) => number = () => 0): AppStore {
  const transport: Transport = {
    call: async (method, input) => {
      const reply = await engine.dispatch(method, input);
      const delay = delayOf(method, input);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return reply;
    },
    on: (event, listener) => engine.events.on(event as EventName, listener),
    dispose: () => undefined,
  };
  const client = new ApiClient(transport);
  const store = createAppStore(client);
  connectEvents(client, store);
  return store;
}

const fact = (subject: string, predicate: string, object: string, validFrom?: string) => ({
  subject,
  predicate,
  object,
  statement: `${subject} ${predicate} ${object}.`,
  ...(validFrom ? { validFrom } : {}),
});

/** The ids of four entities, by name, in the order asked. */
async function entityIds(engine: Engine, ...names: [string, string, string, string]) {
  const [first, second, third, fourth] = names;
  return [
    await entityId(engine, first),
    await entityId(engine, second),
    await entityId(engine, third),
    await entityId(engine, fourth),
  ] as const;
}

async function entityId(engine: Engine, name: string): Promise<string> {
  const { entities } = await engine.call("entities.list", { query: name });
  const entity = entities.find((candidate) => candidate.name === name);
  assert.ok(entity, `entity ${name}`);
  return entity.id;
}

const labels = (store: AppStore) =>
  store
    .getState()
    .graphModel.graph.mapNodes((_node, attributes) => attributes.label)
    .sort();

test("the graph shows entities created through the API; a neighbourhood shows only it and its neighbours", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon"));
  await engine.call("facts.create", fact("Ana", "works at", "Acme"));
  await engine.call("facts.create", fact("Rui", "lives in", "Porto"));
  const store = storeOn(engine);
  await store.getState().loadGraph();
  assert.deepEqual(labels(store), ["Acme", "Ana", "Lisbon", "Porto", "Rui"]);
  assert.equal(store.getState().graphTotalNodes, 5);
  const graph = store.getState().graphModel.graph;
  const ana = await entityId(engine, "Ana");
  assert.equal(graph.getNodeAttribute(ana, "kind"), "person");
  assert.ok(graph.getNodeAttribute(ana, "size") > graph.getNodeAttribute(await entityId(engine, "Rui"), "size"));

  await store.getState().focusEntity(ana);
  assert.deepEqual(labels(store), ["Acme", "Ana", "Lisbon"]);
  assert.equal(store.getState().graphModel.graph, graph, "the same graphology instance, changed in place");
  assert.equal(store.getState().graphSelectedId, ana);
  const inspected = store.getState().graphFacts;
  assert.deepEqual(inspected?.facts.map((item) => item.statement).sort(), [
    "Ana lives in Lisbon.",
    "Ana works at Acme.",
  ]);

  await store.getState().showOverview();
  assert.equal(labels(store).length, 5);
});

test("the default view of a big memory is bounded; zooming in (showMore) adds the next entities to it", async (t) => {
  const { engine } = await openTempEngine(t);
  // 330 people, each linked to one of 30 places: 360 entities, more than the overview's first 300.
  for (let batch = 0; batch < 330; batch += 55) {
    await Promise.all(
      Array.from({ length: 55 }, (_, offset) =>
        engine.call("facts.create", fact(`Person ${batch + offset}`, "lives in", `Town ${(batch + offset) % 30}`)),
      ),
    );
  }
  const store = storeOn(engine);
  await store.getState().loadGraph();
  const graph = store.getState().graphModel.graph;
  assert.equal(graph.order, 300);
  assert.equal(store.getState().graphTotalNodes, 360);
  for (let town = 0; town < 30; town += 1) assert.ok(graph.hasNode(await entityId(engine, `Town ${town}`)));
  graph.forEachNode((node) => graph.setNodeAttribute(node, "x", 42));
  await store.getState().showMore();
  assert.equal(graph.order, 360);
  assert.equal(graph.getNodeAttribute(await entityId(engine, "Town 3"), "x"), 42, "what was shown stays in place");
});

test("relabel, merge, connect and delete through the store change the engine's memory and the drawing", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon"));
  await engine.call("facts.create", fact("Joana Lopes", "works at", "Acme"));
  await engine.call("facts.create", fact("Rui", "likes", "Porto"));
  const store = storeOn(engine);
  await store.getState().loadGraph();
  const graph = store.getState().graphModel.graph;
  const [ana, joana, rui, porto] = await entityIds(engine, "Ana", "Joana Lopes", "Rui", "Porto");

  assert.equal(await store.getState().renameEntity(rui, "Rui Costa"), true);
  assert.equal(graph.getNodeAttribute(rui, "label"), "Rui Costa");
  assert.deepEqual(
    (await engine.call("entities.list", { query: "Rui" })).entities.map((entity) => entity.name),
    ["Rui Costa"],
  );

  // The user knows Joana Lopes and Ana are one person.
  assert.equal(await store.getState().mergeEntity(joana, ana), true);
  assert.equal(graph.hasNode(joana), false);
  assert.ok(graph.areNeighbors(ana, await entityId(engine, "Acme")), "the merged entity's facts now count for Ana");
  assert.equal(store.getState().graphSelectedId, ana);

  assert.equal(await store.getState().connectEntities(ana, rui, "knows"), true);
  const link = graph.edges(ana, rui)[0];
  assert.ok(link, "the new relation is drawn");
  assert.equal(graph.getEdgeAttribute(link, "label"), "knows");
  const withLink = await engine.call("graph.get", { around: ana });
  assert.ok(withLink.edges.some((edge) => edge.id === link));

  assert.equal(await store.getState().deleteRelation(link), true);
  assert.equal(graph.hasEdge(link), false);
  assert.ok(!(await engine.call("graph.get", { around: ana })).edges.some((edge) => edge.id === link));

  const likes = graph.edges(rui, porto)[0]!;
  const factId = graph.getEdgeAttribute(likes, "factId")!;
  assert.equal(await store.getState().deleteRelation(likes), true, "deleting a fact's edge deletes the fact");
  assert.equal(graph.hasEdge(likes), false);
  assert.equal((await engine.call("facts.get", { id: factId })).status, "deleted");
});

test("edits sent together all land; an older graph answer arriving late never overwrites a newer view", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon"));
  await engine.call("facts.create", fact("Rui", "lives in", "Porto"));
  // A neighbourhood answers slower than the overview, so it would arrive last.
  const slowNeighbourhoods = (method: string, input: unknown) =>
    method === "graph.get" && typeof input === "object" && input !== null && "around" in input ? 100 : 0;
  const store = storeOn(engine, slowNeighbourhoods);
  await store.getState().loadGraph();
  const [ana, rui, lisbon, porto] = await entityIds(engine, "Ana", "Rui", "Lisbon", "Porto");
  const results = await Promise.all([
    store.getState().renameEntity(ana, "Ana Sousa"),
    store.getState().renameEntity(rui, "Rui Costa"),
    store.getState().connectEntities(lisbon, porto, "train to"),
  ]);
  assert.deepEqual(results, [true, true, true]);
  const names = (await engine.call("entities.list", {})).entities.map((entity) => entity.name).sort();
  assert.deepEqual(names, ["Ana Sousa", "Lisbon", "Porto", "Rui Costa"]);
  const graph = store.getState().graphModel.graph;
  assert.equal(graph.getNodeAttribute(ana, "label"), "Ana Sousa");
  assert.equal(graph.getNodeAttribute(rui, "label"), "Rui Costa");
  assert.equal(graph.edges(lisbon, porto).length, 1);

  // The user opens Ana's neighbourhood, then at once goes back to the overview: the overview is what stays.
  await Promise.all([store.getState().focusEntity(ana), store.getState().showOverview()]);
  assert.equal(store.getState().graphScope.kind, "overview");
  assert.equal(graph.order, 4);
});

test("'as it was on' shows the facts valid that day; a type filter leaves that type out", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon", "2020-01-01T00:00:00Z"));
  await engine.call("facts.create", fact("Ana", "lives in", "Porto", "2023-06-01T00:00:00Z"));
  await engine.call("facts.create", fact("Ana", "works at", "Acme", "2019-01-01T00:00:00Z"));
  const store = storeOn(engine);
  const ana = await entityId(engine, "Ana");
  await store.getState().focusEntity(ana);
  assert.deepEqual(labels(store), ["Acme", "Ana", "Porto"]);
  await store.getState().setGraphAsOf("2021-03-01");
  assert.deepEqual(labels(store), ["Acme", "Ana", "Lisbon"]);
  await store.getState().setGraphAsOf(null);
  await store.getState().showOverview();
  assert.ok(labels(store).includes("Porto"));

  await store.getState().toggleGraphKind("place");
  assert.deepEqual(store.getState().graphHiddenKinds, ["place"]);
  assert.ok(!labels(store).includes("Porto"), "graph.get was asked without places");
  assert.ok(labels(store).includes("Acme"));
  await store.getState().toggleGraphKind("place");
  assert.ok(labels(store).includes("Porto"));
});

test("search lights the entities on screen and finds those that are not; a refused edit changes nothing", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon"));
  await engine.call("facts.create", fact("Joana", "lives in", "Braga"));
  const store = storeOn(engine);
  const lisbon = await entityId(engine, "Lisbon");
  await store.getState().focusEntity(lisbon);
  await store.getState().searchGraph("ana");
  assert.deepEqual(store.getState().graphMatches, [await entityId(engine, "Ana")]);
  assert.deepEqual(
    store
      .getState()
      .graphSearchResults.map((entity) => entity.name)
      .sort(),
    ["Ana", "Joana"],
  );
  await store.getState().searchGraph("");
  assert.deepEqual(store.getState().graphMatches, []);

  const ana = await entityId(engine, "Ana");
  assert.equal(await store.getState().renameEntity(ana, "   "), false);
  assert.ok(store.getState().notice, "the refusal is shown");
  assert.equal(store.getState().graphModel.graph.getNodeAttribute(ana, "label"), "Ana");
  assert.equal((await engine.call("entities.get", { id: ana })).name, "Ana");
});

test("an open graph follows the memory: facts learned meanwhile appear without a reload; a closed one waits", async (t) => {
  const { engine } = await openTempEngine(t);
  await engine.call("facts.create", fact("Ana", "lives in", "Lisbon"));
  const store = storeOn(engine);
  store.getState().setGraphVisible(true);
  await store.getState().loadGraph();
  assert.deepEqual(labels(store), ["Ana", "Lisbon"]);
  // Two facts in a burst (as an extraction batch writes them): one reload after the last.
  await Promise.all([
    engine.call("facts.create", fact("Rui", "lives in", "Porto")),
    engine.call("facts.create", fact("Ana", "works at", "Acme")),
  ]);
  const deadline = Date.now() + 10_000;
  while (labels(store).length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(labels(store), ["Acme", "Ana", "Lisbon", "Porto", "Rui"]);

  store.getState().setGraphVisible(false);
  await engine.call("facts.create", fact("Marta", "lives in", "Braga"));
  await new Promise((resolve) => setTimeout(resolve, 1200));
  assert.equal(labels(store).includes("Marta"), false, "a closed graph does not reload in the background");
});
