import type { GraphAdjacency } from "./graphAdjacency.ts";
import type { EdgeAttributes } from "./semanticIndex.ts";

export interface PageRankOptions {
  /** Share of rank that returns to the seeds at each step (the teleport probability). */
  restart: number;
  /** A node's leftover rank below this (per unit of its weighted degree) is not spread further. */
  tolerance: number;
  /** Most pushes one query may make: a bound on latency, whatever the graph's shape. */
  maxPushes: number;
  /** Weight of an edge, or 0 to leave it out (a superseded fact). */
  weight: (attributes: EdgeAttributes) => number;
}

/**
 * Personalised PageRank from seed nodes (HippoRAG's graph step), by the forward-push approximation of Andersen,
 * Chung and Lang: rank is spread from the seeds along weighted edges (both directions) until what is left at each
 * node is below the tolerance. It touches only the seeds' surroundings, so a query costs the same in a graph of a
 * hundred nodes or a hundred thousand. graphology-metrics' pagerank is global (no personalisation vector) and
 * iterates over every edge, which is why it is not used here; graphology is the graph.
 */
export function personalizedPageRank(
  graph: GraphAdjacency,
  seeds: Map<string, number>,
  options: PageRankOptions,
): Map<string, number> {
  const rank = new Map<string, number>();
  const residual = new Map<string, number>();
  // Each node's edges are weighed once, when it first comes up: its weighted degree and where a push spreads to.
  const links = new Map<string, Links>();
  const linksOf = (node: string): Links => {
    let found = links.get(node);
    if (!found) {
      found = { others: [], weights: [], degree: 0 };
      const edges = graph.of(node);
      for (let i = 0; i < edges.others.length; i += 1) {
        const weight = options.weight(edges.attributes[i]!);
        if (weight <= 0) continue;
        found.others.push(edges.others[i]!);
        found.weights.push(weight);
        found.degree += weight;
      }
      links.set(node, found);
    }
    return found;
  };
  const total = [...seeds.values()].reduce((sum, value) => sum + value, 0) || 1;
  const queue: string[] = [];
  // A node is queued once until it is pushed; whether its residual is worth pushing is judged when it comes up, so
  // spreading to a neighbour never has to read the neighbour's own edges.
  const queued = new Set<string>();
  for (const [node, value] of seeds) {
    if (!graph.has(node)) continue;
    residual.set(node, value / total);
    queue.push(node);
    queued.add(node);
  }
  let pushes = 0;
  for (let next = 0; next < queue.length && pushes < options.maxPushes; next += 1) {
    const node = queue[next]!;
    queued.delete(node);
    const mass = residual.get(node) ?? 0;
    const { others, weights, degree } = linksOf(node);
    if (mass <= options.tolerance * Math.max(degree, 1)) continue;
    pushes += 1;
    rank.set(node, (rank.get(node) ?? 0) + options.restart * mass);
    residual.set(node, 0);
    if (degree === 0) continue;
    const spread = (1 - options.restart) * mass;
    for (let i = 0; i < others.length; i += 1) {
      const other = others[i]!;
      residual.set(other, (residual.get(other) ?? 0) + (spread * weights[i]!) / degree);
      if (!queued.has(other)) {
        queued.add(other);
        queue.push(other);
      }
    }
  }
  return rank;
}

/** A node's neighbours along edges of positive weight (one entry per edge), their weights and their sum. */
interface Links {
  others: string[];
  weights: number[];
  degree: number;
}
