import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryGraphModel } from "./graphModel.ts";
import { PositionMemory, type KeyValueStorage } from "./positionMemory.ts";
import { edgeFlags, emptyGraphView, hoverNeighbourhood, nodeFlags } from "./graphStates.ts";
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

test("view flags: a selection lights its neighbourhood and dims the rest; hovering dims no one; a hidden kind hides", () => {
  const model = new MemoryGraphModel(new PositionMemory(null));
  model.apply(
    {
      nodes: [
        { id: "ana", label: "Ana", kind: "entity", type: "person" },
        { id: "lisbon", label: "Lisbon", kind: "entity", type: "place" },
        { id: "acme", label: "Acme", kind: "entity", type: "organisation" },
        { id: "rui", label: "Rui", kind: "entity", type: "person" },
      ],
      edges: [
        { id: "r1", source: "ana", target: "lisbon", label: "lives in" },
        { id: "r2", source: "acme", target: "lisbon", label: "based in" },
        { id: "r3", source: "rui", target: "acme", label: "works at" },
      ],
    },
    { replace: true },
  );
  const graph = model.graph;
  const node = (key: string, view = emptyGraphView) => nodeFlags(graph, key, view);
  const edge = (key: string, view = emptyGraphView) => edgeFlags(graph, key, view);

  assert.deepEqual(node("ana"), { isHidden: false, isHighlighted: false, isFocus: false, isDimmed: false });
  const selected = { ...emptyGraphView, selected: "ana" };
  assert.deepEqual(node("ana", selected), { isHidden: false, isHighlighted: true, isFocus: true, isDimmed: false });
  assert.equal(node("lisbon", selected).isHighlighted, true);
  assert.equal(node("acme", selected).isDimmed, true);
  assert.deepEqual(edge("r1", selected), { isHidden: false, isHighlighted: true, isDimmed: false });
  assert.equal(edge("r2", selected).isDimmed, true);

  const hovered = { ...emptyGraphView, hovered: "acme" };
  assert.equal(node("rui", hovered).isHighlighted, true);
  assert.equal(node("ana", hovered).isDimmed, false, "hovering over a big graph must not re-style all of it");
  assert.equal(edge("r3", hovered).isHighlighted, true);
  assert.deepEqual(new Set(hoverNeighbourhood(graph, "acme").nodes), new Set(["acme", "lisbon", "rui"]));
  assert.deepEqual(new Set(hoverNeighbourhood(graph, "acme").edges), new Set(["r2", "r3"]));

  const searched = { ...emptyGraphView, matches: new Set(["acme", "lisbon"]) };
  assert.equal(node("acme", searched).isHighlighted, true);
  assert.equal(node("ana", searched).isDimmed, true);
  assert.equal(edge("r2", searched).isHighlighted, true, "a relation between two matches stands out");
  assert.equal(edge("r1", searched).isDimmed, true);

  const withoutPlaces = { ...emptyGraphView, hiddenKinds: new Set(["place"]) };
  assert.equal(node("lisbon", withoutPlaces).isHidden, true);
  assert.equal(node("ana", withoutPlaces).isHidden, false);
  assert.equal(edge("r1", withoutPlaces).isHidden, true);
  assert.equal(edge("r3", withoutPlaces).isHidden, false);
});
