import type { MultiDirectedGraph } from "graphology";
import type { EdgeAttributes, NodeAttributes } from "./semanticIndex.ts";

/** A node's edges in both directions: the node at each edge's other end, and the edge's attributes. */
export interface NodeLinks {
  others: readonly string[];
  attributes: readonly EdgeAttributes[];
}

const noLinks: NodeLinks = { others: [], attributes: [] };

/**
 * Each node's edges as two flat arrays, read from the graph once and kept until one of them changes. A recall walks
 * the neighbourhood of the entities a question names (personalised PageRank, the entity lift), and reading a node's
 * edges through graphology's `forEachEdge` costs about a microsecond an edge: at 10,000 facts and 50,000 links a walk
 * read some 10,000-20,000 edges, 10-20 ms of the one JavaScript thread every chat recall also needs. From the arrays
 * the same walk costs a fraction of that.
 *
 * Kept right by the graph's own events, so no writer of the graph has to remember it: an edge added, dropped or given
 * new attributes forgets the cached links of both its ends (dropping a node drops its edges first, with their events).
 */
export class GraphAdjacency {
  readonly #graph: MultiDirectedGraph<NodeAttributes, EdgeAttributes>;
  readonly #links = new Map<string, NodeLinks>();

  constructor(graph: MultiDirectedGraph<NodeAttributes, EdgeAttributes>) {
    this.#graph = graph;
    const forgetEnds = ({ source, target }: { source: string; target: string }) => {
      this.#links.delete(source);
      this.#links.delete(target);
    };
    graph.on("edgeAdded", forgetEnds);
    graph.on("edgeDropped", forgetEnds);
    graph.on("edgeAttributesUpdated", ({ key }: { key: string }) => {
      if (graph.hasEdge(key)) forgetEnds({ source: graph.source(key), target: graph.target(key) });
    });
    graph.on("nodeDropped", ({ key }: { key: string }) => this.#links.delete(key));
    graph.on("cleared", () => this.#links.clear());
    graph.on("edgesCleared", () => this.#links.clear());
  }

  has(node: string): boolean {
    return this.#graph.hasNode(node);
  }

  /** The node's edges (none for a node the graph does not hold). The arrays are shared: never change them. */
  of(node: string): NodeLinks {
    const cached = this.#links.get(node);
    if (cached) return cached;
    if (!this.#graph.hasNode(node)) return noLinks;
    const others: string[] = [];
    const attributes: EdgeAttributes[] = [];
    this.#graph.forEachEdge(node, (_edge, edgeAttributes, source, target) => {
      others.push(source === node ? target : source);
      attributes.push(edgeAttributes);
    });
    const links = { others, attributes };
    this.#links.set(node, links);
    return links;
  }
}
