import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryGraphModel } from "./graphModel.ts";
import { PositionMemory, type KeyValueStorage } from "./positionMemory.ts";
import { emptyGraphView, styleEdge, styleNode } from "./graphReducers.ts";
import { defaultGraphTheme } from "./graphTheme.ts";
import { seededRandom } from "../../../test/support/seededRandom.ts";
import { generateMemoryGraph, snapshotOf } from "./testGraphs.ts";

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

test("a graph.get answer is applied in place: nodes kept keep their place, only what left the view is dropped", () => {
  const source = generateMemoryGraph(400, 900);
  const model = new MemoryGraphModel(new PositionMemory(null), seededRandom(1));
  const first = model.apply(snapshotOf(source, { limit: 100 }), { replace: true });
  assert.equal(first.added.length, 100);
  assert.equal(model.graph.order, 100);
  const kept = model.graph.nodes()[0]!;
  model.graph.mergeNodeAttributes(kept, { x: 123, y: 456 });
  const graphBefore = model.graph;

  const around = snapshotOf(source, { around: kept, depth: 1 });
  const change = model.apply(around, { replace: true });
  assert.equal(model.graph, graphBefore, "the same graphology instance, never a new one");
  assert.deepEqual(new Set(model.graph.nodes()), new Set(around.nodes.map((node) => node.id)));
  assert.equal(model.graph.size, around.edges.length);
  assert.deepEqual([model.graph.getNodeAttribute(kept, "x"), model.graph.getNodeAttribute(kept, "y")], [123, 456]);
  assert.ok(change.removed > 0);
  for (const node of model.graph.nodes()) assert.ok(Number.isFinite(model.graph.getNodeAttribute(node, "x")));
});

test("merging more nodes in keeps the ones shown and places newcomers beside their placed neighbours", () => {
  const source = generateMemoryGraph(300, 700);
  const model = new MemoryGraphModel(new PositionMemory(null), seededRandom(2));
  model.apply(snapshotOf(source, { limit: 50 }), { replace: true });
  model.graph.updateEachNodeAttributes((_node, attributes) => ({ ...attributes, x: 1000, y: 1000 }));
  const change = model.apply(snapshotOf(source, { limit: 200 }), { replace: false });
  assert.equal(change.added.length, 150);
  assert.equal(model.graph.order, 200);
  const beside = change.added.filter((node) => {
    const { x, y } = model.graph.getNodeAttributes(node);
    return Math.hypot(x - 1000, y - 1000) < 10;
  });
  assert.ok(beside.length > 0, "a newcomer linked to the old picture starts next to it, not at random");
});

test("a relabel from the engine changes the label in place; hubs are drawn bigger than leaves", () => {
  const source = generateMemoryGraph(100, 300);
  const model = new MemoryGraphModel(new PositionMemory(null));
  const snapshot = snapshotOf(source);
  model.apply(snapshot, { replace: true });
  const renamed = {
    ...snapshot,
    nodes: snapshot.nodes.map((node, index) => (index === 0 ? { ...node, label: "Ana Silva" } : node)),
  };
  const change = model.apply(renamed, { replace: true });
  assert.equal(change.relabelled, 1);
  assert.equal(model.graph.getNodeAttribute(snapshot.nodes[0]!.id, "label"), "Ana Silva");
  const byDegree = model.graph.nodes().sort((a, b) => model.graph.degree(b) - model.graph.degree(a));
  const size = (node: string) => model.graph.getNodeAttribute(node, "size");
  assert.ok(size(byDegree[0]!) > size(byDegree.at(-1)!));
});

test("positions are kept between visits: a new model on the same storage opens on the same picture", () => {
  const storage = memoryStorage();
  const source = generateMemoryGraph(200, 400);
  const first = new MemoryGraphModel(new PositionMemory(storage));
  first.apply(snapshotOf(source, { limit: 80 }), { replace: true });
  first.savePositions();
  const second = new MemoryGraphModel(new PositionMemory(storage), seededRandom(99));
  const change = second.apply(snapshotOf(source, { limit: 80 }), { replace: true });
  assert.equal(change.added.length, 80);
  for (const node of first.graph.nodes()) {
    const before = first.graph.getNodeAttributes(node);
    const after = second.graph.getNodeAttributes(node);
    assert.ok(Math.abs(before.x - after.x) < 0.01 && Math.abs(before.y - after.y) < 0.01, node);
  }
});

test("unreadable stored positions are ignored rather than breaking the screen", () => {
  const storage = memoryStorage();
  storage.setItem("engram.graph.positions", "{not json");
  const model = new MemoryGraphModel(new PositionMemory(storage));
  model.apply(snapshotOf(generateMemoryGraph(20, 30)), { replace: true });
  assert.equal(model.graph.order, 20);
});

test("reducers: a selection lights its neighbourhood and dims the rest; a hidden kind hides its nodes and edges", () => {
  const model = new MemoryGraphModel(new PositionMemory(null));
  model.apply(
    {
      nodes: [
        { id: "ana", label: "Ana", kind: "entity", type: "person" },
        { id: "lisbon", label: "Lisbon", kind: "entity", type: "place" },
        { id: "acme", label: "Acme", kind: "entity", type: "organisation" },
      ],
      edges: [
        { id: "r1", source: "ana", target: "lisbon", label: "lives in" },
        { id: "r2", source: "acme", target: "lisbon", label: "based in" },
      ],
    },
    { replace: true },
  );
  const graph = model.graph;
  const theme = defaultGraphTheme;
  const node = (key: string, view = emptyGraphView) => styleNode(graph, key, graph.getNodeAttributes(key), view, theme);
  const edge = (key: string, view = emptyGraphView) => styleEdge(graph, key, graph.getEdgeAttributes(key), view, theme);

  assert.equal(node("ana").color, theme.kindColors.person);
  assert.equal(node("lisbon").color, theme.kindColors.place);
  const selected = { ...emptyGraphView, selected: "ana" };
  assert.equal(node("ana", selected).labelVisibility, "visible");
  assert.equal(node("lisbon", selected).labelVisibility, "visible");
  assert.equal(node("acme", selected).color, theme.dimmedNode);
  assert.equal(edge("r1", selected).color, theme.edgeFocus);
  assert.equal(edge("r1", selected).label, "lives in");
  assert.equal(edge("r2", selected).color, theme.dimmedEdge);

  const searched = { ...emptyGraphView, matches: new Set(["acme"]) };
  assert.equal(node("acme", searched).labelVisibility, "visible");
  assert.equal(node("ana", searched).color, theme.dimmedNode);

  const withoutPlaces = { ...emptyGraphView, hiddenKinds: new Set(["place"]) };
  assert.equal(node("lisbon", withoutPlaces).visibility, "hidden");
  assert.equal(node("ana", withoutPlaces).visibility, undefined);
  assert.equal(edge("r1", withoutPlaces).visibility, "hidden");
});
