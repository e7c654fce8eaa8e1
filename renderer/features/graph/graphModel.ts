import { MultiDirectedGraph } from "graphology";
import type { Position, PositionMemory } from "./positionMemory.ts";

/** What the graph screen keeps of an entity: what graph.get says, plus where it is drawn. */
export interface GraphNodeAttributes {
  label: string;
  /** The entity's type (person, place...), or "value" for a fact's object that names no entity. */
  kind: string;
  /** How much the entity matters (mentions, facts and links together), as graph.get ranks it. */
  importance: number;
  x: number;
  y: number;
  /** Drawn radius in pixels, from how connected the entity is. */
  size: number;
  /** ForceAtlas2 leaves a fixed node where it is (set while newcomers settle around a picture already known). */
  fixed?: boolean;
}

/** A relation between two entities, or the fact that links them. */
export interface GraphEdgeAttributes {
  label: string;
  /** fact: a fact links the two; cooccurrence: named in the same turns; user: a link the user made. */
  relation: string;
  factId: string | null;
  weight: number;
  size: number;
}

export type MemoryGraph = MultiDirectedGraph<GraphNodeAttributes, GraphEdgeAttributes>;

/** The part of a graph.get answer the screen draws (the contract may carry more fields; they are ignored here). */
export interface GraphSnapshot {
  nodes: ReadonlyArray<{ id: string; label: string; kind: string; type?: string; importance?: number }>;
  edges: ReadonlyArray<{
    id: string;
    source: string;
    target: string;
    label: string;
    kind?: string;
    weight?: number;
    factId?: string | null;
  }>;
}

/** What the screen calls a node's kind: its entity type, else what graph.get says it is (a value). */
export const displayKindOf = (node: GraphSnapshot["nodes"][number]) => node.type ?? node.kind;

/** What an update changed, so the layout runs only when something new has to find its place. */
export interface GraphChange {
  added: string[];
  removed: number;
  relabelled: number;
}

const minimumNodeSize = 3;
const maximumNodeSize = 13;

/**
 * A node's radius: grows with the log of its importance (or of its degree when the engine gives none) so hubs stand
 * out without covering their neighbourhood.
 */
export function nodeSizeFor(importance: number): number {
  return Math.min(maximumNodeSize, minimumNodeSize + 1.5 * Math.log2(1 + Math.max(0, importance)));
}

/**
 * The one graphology instance the graph screen draws. Answers of graph.get are applied to it in place: nodes already
 * drawn keep their position, new ones start from where they were last seen (PositionMemory) or beside a neighbour
 * already placed, and only what left the view is dropped. Sigma and ForceAtlas2 both listen to this instance, so
 * nothing is ever rebuilt.
 */
export class MemoryGraphModel {
  readonly graph: MemoryGraph = new MultiDirectedGraph<GraphNodeAttributes, GraphEdgeAttributes>({
    allowSelfLoops: false,
  });
  readonly #positions: PositionMemory;
  readonly #random: () => number;
  /** Nodes placed without a remembered position, waiting for the layout to find their place. */
  readonly #unsettled = new Set<string>();

  constructor(positions: PositionMemory, random: () => number = Math.random) {
    this.#positions = positions;
    this.#random = random;
  }

  /**
   * Applies a graph.get answer. With `replace`, the graph becomes exactly the answer (a new focus, another date);
   * without it, the answer is added to what is shown (more nodes as the user zooms in).
   *
   * Every new node is added with its final position and size, and existing nodes are changed one by one: sigma
   * listens to this graph, and a bulk attribute update right after an addition would reach nodes it has not indexed.
   */
  apply(snapshot: GraphSnapshot, { replace }: { replace: boolean }): GraphChange {
    const graph = this.graph;
    const change: GraphChange = { added: [], removed: 0, relabelled: 0 };
    if (replace) {
      const keptNodes = new Set(snapshot.nodes.map((node) => node.id));
      const keptEdges = new Set(snapshot.edges.map((edge) => edge.id));
      for (const node of graph.nodes()) {
        if (keptNodes.has(node)) continue;
        this.#positions.remember(node, graph.getNodeAttribute(node, "x"), graph.getNodeAttribute(node, "y"));
        graph.dropNode(node);
        this.#unsettled.delete(node);
        change.removed += 1;
      }
      for (const edge of graph.edges()) if (!keptEdges.has(edge)) graph.dropEdge(edge);
    }
    const newcomers = snapshot.nodes.filter((node) => !graph.hasNode(node.id));
    const placed = this.#placeNewcomers(newcomers, snapshot.edges);
    for (const node of snapshot.nodes) {
      const kind = displayKindOf(node);
      const importance = node.importance ?? Number.NaN;
      const position = placed.get(node.id);
      if (position) {
        graph.addNode(node.id, { label: node.label, kind, importance, ...position, size: nodeSizeFor(importance) });
        change.added.push(node.id);
        continue;
      }
      const current = graph.getNodeAttributes(node.id);
      if (current.label !== node.label || current.kind !== kind) {
        graph.mergeNodeAttributes(node.id, { label: node.label, kind });
        change.relabelled += 1;
      }
      if (!Object.is(current.importance, importance)) graph.setNodeAttribute(node.id, "importance", importance);
    }
    for (const edge of snapshot.edges) {
      if (graph.hasEdge(edge.id)) {
        if (graph.getEdgeAttribute(edge.id, "label") !== edge.label)
          graph.setEdgeAttribute(edge.id, "label", edge.label);
        continue;
      }
      if (edge.source === edge.target || !graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
      graph.addDirectedEdgeWithKey(edge.id, edge.source, edge.target, {
        label: edge.label,
        relation: edge.kind ?? "fact",
        factId: edge.factId ?? null,
        weight: edge.weight ?? 1,
        size: 0.6,
      });
    }
    this.#resize();
    return change;
  }

  /** The nodes that still need the layout to place them, handed over once. */
  takeUnsettled(): string[] {
    const nodes = [...this.#unsettled].filter((node) => this.graph.hasNode(node));
    this.#unsettled.clear();
    return nodes;
  }

  /** Changes an entity's label in place (after entities.rename succeeded). */
  relabel(id: string, label: string): void {
    if (this.graph.hasNode(id)) this.graph.setNodeAttribute(id, "label", label);
  }

  /** Removes relations from the drawing (after relations.delete or facts.delete succeeded). */
  dropEdges(ids: Iterable<string>): void {
    for (const id of ids) if (this.graph.hasEdge(id)) this.graph.dropEdge(id);
    this.#resize();
  }

  /** The edges a fact draws (after facts.delete, they go). */
  edgesOfFact(factId: string): string[] {
    return this.graph.filterEdges((_edge, attributes) => attributes.factId === factId);
  }

  /** Writes where every node is now, so the next visit (or the next launch) opens on the same picture. */
  savePositions(): void {
    this.graph.forEachNode((node, attributes) => this.#positions.remember(node, attributes.x, attributes.y));
    this.#positions.flush();
  }

  /**
   * Where new nodes start: where they were last seen, else beside the centre of their placed neighbours (in the
   * graph or placed just before them), else on a disc around the drawing sized so a fresh graph starts spread out
   * (ForceAtlas2 converges faster from there than from one point). Nodes without a remembered place are unsettled.
   */
  #placeNewcomers(newcomers: GraphSnapshot["nodes"], edges: GraphSnapshot["edges"]): Map<string, Position> {
    const graph = this.graph;
    const placed = new Map<string, Position>();
    const unplaced: string[] = [];
    for (const node of newcomers) {
      const remembered = this.#positions.recall(node.id);
      if (remembered) placed.set(node.id, { x: remembered.x, y: remembered.y });
      else unplaced.push(node.id);
    }
    if (unplaced.length === 0) return placed;
    const neighbours = new Map<string, string[]>(unplaced.map((node) => [node, []]));
    for (const edge of edges) {
      neighbours.get(edge.source)?.push(edge.target);
      neighbours.get(edge.target)?.push(edge.source);
    }
    const positionOf = (node: string): Position | undefined =>
      placed.get(node) ?? (graph.hasNode(node) ? graph.getNodeAttributes(node) : undefined);
    // Two passes let a chain of newcomers hang off nodes placed in the first pass.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const node of unplaced) {
        if (placed.has(node)) continue;
        const known = neighbours.get(node)!.flatMap((neighbour) => positionOf(neighbour) ?? []);
        if (known.length === 0) continue;
        const angle = this.#random() * 2 * Math.PI;
        placed.set(node, {
          x: known.reduce((sum, position) => sum + position.x, 0) / known.length + Math.cos(angle) * 4,
          y: known.reduce((sum, position) => sum + position.y, 0) / known.length + Math.sin(angle) * 4,
        });
      }
    }
    const radius = 10 * Math.sqrt(graph.order + unplaced.length);
    for (const node of unplaced) {
      this.#unsettled.add(node);
      if (placed.has(node)) continue;
      const angle = this.#random() * 2 * Math.PI;
      const distance = radius * Math.sqrt(this.#random());
      placed.set(node, { x: Math.cos(angle) * distance, y: Math.sin(angle) * distance });
    }
    return placed;
  }

  /** Sizes follow importance, or the degree where graph.get gave none; changed node by node (see apply). */
  #resize(): void {
    const graph = this.graph;
    graph.forEachNode((node, attributes) => {
      const size = nodeSizeFor(Number.isNaN(attributes.importance) ? graph.degree(node) : attributes.importance);
      if (attributes.size !== size) graph.setNodeAttribute(node, "size", size);
    });
  }
}
