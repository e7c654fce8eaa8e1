import { test } from "node:test";
import assert from "node:assert/strict";
import { MultiDirectedGraph } from "graphology";
import { GraphAdjacency } from "./graphAdjacency.ts";
import { personalizedPageRank } from "./personalizedPageRank.ts";
import type { EdgeAttributes, NodeAttributes } from "./semanticIndex.ts";

/** Exact personalised PageRank by power iteration over the same undirected weighted edges (the reference). */
function exactRank(
  graph: MultiDirectedGraph<NodeAttributes, EdgeAttributes>,
  seeds: Map<string, number>,
  restart: number,
  weight: (attributes: EdgeAttributes) => number,
): Map<string, number> {
  const nodes = graph.nodes();
  const total = [...seeds.values()].reduce((a, b) => a + b, 0);
  const start = new Map(nodes.map((node) => [node, (seeds.get(node) ?? 0) / total]));
  let rank = new Map(start);
  for (let step = 0; step < 500; step += 1) {
    const next = new Map(nodes.map((node) => [node, restart * start.get(node)!]));
    for (const node of nodes) {
      let degree = 0;
      graph.forEachEdge(node, (_edge, attributes) => void (degree += weight(attributes)));
      if (degree === 0) {
        next.set(node, next.get(node)! + (1 - restart) * rank.get(node)!);
        continue;
      }
      graph.forEachEdge(node, (_edge, attributes, source, target) => {
        const other = source === node ? target : source;
        next.set(other, next.get(other)! + ((1 - restart) * rank.get(node)! * weight(attributes)) / degree);
      });
    }
    rank = next;
  }
  return rank;
}

test("the graph walk ranks the seed's surroundings as exact personalised PageRank does, and skips weightless edges", () => {
  const graph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  for (const id of ["ana", "porto", "lisbon", "ben", "google", "chess", "far"]) {
    graph.addNode(id, { kind: "entity", label: id });
  }
  const edge = (source: string, target: string, weight: number, kind: EdgeAttributes["kind"] = "cooccurrence") =>
    graph.addEdge(source, target, { kind, label: "", weight, ...(kind === "fact" ? { status: "active" } : {}) });
  edge("ana", "porto", 3);
  edge("ana", "porto", 1, "fact");
  edge("ana", "ben", 1);
  edge("ben", "google", 2);
  edge("google", "chess", 1);
  edge("chess", "far", 1);
  // A superseded fact: weight 0, so the walk never goes there.
  graph.addEdge("ana", "lisbon", { kind: "fact", label: "lives in", weight: 1, status: "superseded" });
  const weight = (attributes: EdgeAttributes) => (attributes.status === "superseded" ? 0 : attributes.weight);
  const seeds = new Map([["ana", 1]]);

  const adjacency = new GraphAdjacency(graph);
  const approximate = personalizedPageRank(adjacency, seeds, {
    restart: 0.25,
    tolerance: 1e-6,
    maxPushes: 10_000,
    weight,
  });
  const exact = exactRank(graph, seeds, 0.25, weight);
  assert.equal(approximate.has("lisbon"), false, "a superseded fact carries no rank");
  const order = (ranks: Map<string, number>) =>
    [...ranks]
      .filter(([, value]) => value > 1e-9)
      .sort((a, b) => b[1] - a[1])
      .map(([node]) => node);
  assert.deepEqual(order(approximate), order(exact));
  for (const [node, value] of approximate) assert.ok(Math.abs(value - exact.get(node)!) < 1e-3, node);

  // A bound on pushes keeps a query short and still ranks the nearest first.
  const bounded = personalizedPageRank(adjacency, seeds, { restart: 0.25, tolerance: 1e-6, maxPushes: 3, weight });
  assert.deepEqual(order(bounded).slice(0, 2), ["ana", "porto"]);
  assert.equal(bounded.has("far"), false);
});

test("after the graph changes, the walk follows the graph as it is now", () => {
  const graph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  for (const id of ["ana", "porto", "ben"]) graph.addNode(id, { kind: "entity", label: id });
  graph.addEdgeWithKey("e1", "ana", "porto", { kind: "cooccurrence", label: "", weight: 1 });
  const adjacency = new GraphAdjacency(graph);
  const options = { restart: 0.25, tolerance: 1e-6, maxPushes: 1000, weight: (a: EdgeAttributes) => a.weight };
  const walk = () => personalizedPageRank(adjacency, new Map([["ana", 1]]), options);
  assert.equal(walk().has("ben"), false);
  // Each change below is one the semantic index makes (a new link, a link re-weighed, an entity merged away).
  graph.addEdgeWithKey("e2", "ben", "ana", { kind: "cooccurrence", label: "", weight: 5 });
  assert.ok((walk().get("ben") ?? 0) > (walk().get("porto") ?? 0), "the new, heavier link is walked");
  graph.dropEdge("e2");
  graph.addEdgeWithKey("e2", "ben", "ana", { kind: "cooccurrence", label: "", weight: 0.2 });
  assert.ok((walk().get("ben") ?? 0) < (walk().get("porto") ?? 0), "the link's new weight counts");
  graph.replaceEdgeAttributes("e1", { kind: "cooccurrence", label: "", weight: 0.01 });
  assert.ok((walk().get("ben") ?? 0) > (walk().get("porto") ?? 0), "attributes replaced in place count");
  graph.dropNode("ben");
  assert.equal(walk().has("ben"), false, "a dropped node is not reached");
  assert.deepEqual(adjacency.of("ben"), { others: [], attributes: [] });
  graph.clear();
  assert.equal(walk().size, 0, "a cleared graph has nothing to walk");
});
