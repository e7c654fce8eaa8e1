import { MultiDirectedGraph } from "graphology";
import { seededRandom } from "../../../test/support/seededRandom.ts";
import type { GraphSnapshot } from "./graphModel.ts";

const kinds = ["person", "place", "organisation", "thing", "date"];

/**
 * A memory-shaped graph for tests: `nodes` entities of the usual kinds, `edges` relations that prefer entities
 * already well connected (as real memories do: a few people and places come up again and again).
 */
export function generateMemoryGraph(nodes: number, edges: number, seed = 7): MultiDirectedGraph {
  const random = seededRandom(seed);
  const graph = new MultiDirectedGraph({ allowSelfLoops: false });
  for (let index = 0; index < nodes; index += 1) {
    graph.addNode(`e${index}`, { label: `Entity ${index}`, kind: kinds[index % kinds.length] });
  }
  const ends: string[] = [];
  for (let index = 0; index < edges; index += 1) {
    const source =
      ends.length > 0 && random() < 0.5
        ? ends[Math.floor(random() * ends.length)]!
        : `e${Math.floor(random() * nodes)}`;
    const target = `e${Math.floor(random() * nodes)}`;
    if (source === target) continue;
    graph.addDirectedEdgeWithKey(`r${index}`, source, target, { label: "knows", factId: `f${index}` });
    ends.push(source, target);
  }
  return graph;
}

/** The graph as graph.get would answer: nodes ranked by degree, the `limit` best, with the edges between them. */
export function snapshotOf(
  graph: MultiDirectedGraph,
  options: { limit?: number; around?: string; depth?: number } = {},
): GraphSnapshot {
  let kept: Set<string>;
  if (options.around !== undefined) {
    kept = new Set([options.around]);
    let frontier = [options.around];
    for (let step = 0; step < (options.depth ?? 1); step += 1) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const neighbour of graph.neighbors(node)) {
          if (kept.has(neighbour)) continue;
          kept.add(neighbour);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
  } else {
    const ranked = graph.nodes().sort((a, b) => graph.degree(b) - graph.degree(a));
    kept = new Set(ranked.slice(0, options.limit ?? ranked.length));
  }
  return {
    nodes: [...kept].map((id) => ({
      id,
      label: graph.getNodeAttribute(id, "label") as string,
      kind: "entity",
      type: graph.getNodeAttribute(id, "kind") as string,
      importance: graph.degree(id),
    })),
    edges: graph
      .edges()
      .filter((edge) => kept.has(graph.source(edge)) && kept.has(graph.target(edge)))
      .map((edge) => ({
        id: edge,
        source: graph.source(edge),
        target: graph.target(edge),
        label: graph.getEdgeAttribute(edge, "label") as string,
        kind: "fact",
        weight: 1,
        factId: graph.getEdgeAttribute(edge, "factId") as string,
      })),
  };
}
