import type { EntityType, GraphEdge, GraphNode } from "../../api/index.ts";
import { NotFoundError } from "../../errors.ts";
import type { EdgeAttributes, SemanticIndex } from "./semanticIndex.ts";

export interface GraphQuery {
  around?: string;
  depth?: number;
  /** Milliseconds: only facts valid then, links made by then. */
  asOf?: number;
  types?: EntityType[];
  limit: number;
  offset: number;
  includeSuperseded: boolean;
}

/**
 * The memory graph as graph.get returns it, read from the in-memory index: the neighbourhood of an entity to a
 * depth (nearest first), or the whole graph paged by importance; at a date, only what held then.
 */
export function queryGraph(
  index: SemanticIndex,
  query: GraphQuery,
): { nodes: GraphNode[]; edges: GraphEdge[]; totalNodes: number } {
  const graph = index.graph;
  const edgeShown = (attributes: EdgeAttributes): boolean => {
    if (attributes.kind === "fact") {
      if (query.asOf !== undefined) {
        return (attributes.validFrom ?? -Infinity) <= query.asOf && (attributes.validTo ?? Infinity) > query.asOf;
      }
      return attributes.status === "active" || query.includeSuperseded;
    }
    return query.asOf === undefined || (attributes.firstAt ?? 0) <= query.asOf;
  };
  const nodeShown = (node: string): boolean => {
    const attributes = graph.getNodeAttributes(node);
    if (query.types && (attributes.kind === "value" || !query.types.includes(attributes.type!))) return false;
    return true;
  };
  // Each node's shown edges (with their ends and attributes) are read several times: once per query.
  const edgesOf = new Map<string, ShownEdge[]>();
  const shownEdges = (node: string): ShownEdge[] => {
    let edges = edgesOf.get(node);
    if (!edges) {
      const found: ShownEdge[] = [];
      graph.forEachEdge(node, (id, attributes, source, target) => {
        if (edgeShown(attributes)) found.push({ id, attributes, source, target });
      });
      edgesOf.set(node, (edges = found));
    }
    return edges;
  };
  const importanceCache = new Map<string, number>();
  const importance = (node: string): number => {
    let value = importanceCache.get(node);
    if (value === undefined) importanceCache.set(node, (value = importanceOf(index, node, shownEdges(node))));
    return value;
  };

  let selected: string[];
  let total: number;
  if (query.around !== undefined) {
    if (!index.entities.has(query.around)) throw new NotFoundError("Entity", query.around);
    const start = index.canonical(query.around);
    const depth = query.depth ?? 1;
    const distance = new Map<string, number>([[start, 0]]);
    let frontier = [start];
    for (let step = 1; step <= depth && frontier.length > 0; step += 1) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const edge of shownEdges(node)) {
          const other = edge.source === node ? edge.target : edge.source;
          if (distance.has(other) || !nodeShown(other)) continue;
          distance.set(other, step);
          // Values (a fact's plain object) end a path: "34" links no one to anyone.
          if (graph.getNodeAttribute(other, "kind") === "entity") next.push(other);
        }
      }
      frontier = next;
    }
    const ordered = [...distance.keys()].sort(
      (a, b) => distance.get(a)! - distance.get(b)! || importance(b) - importance(a),
    );
    total = ordered.length;
    selected = ordered.slice(query.offset, query.offset + query.limit);
  } else {
    const scored: { node: string; importance: number }[] = [];
    graph.forEachNode((node) => {
      if (!nodeShown(node)) return;
      const value = importance(node);
      if (value > 0) scored.push({ node, importance: value });
    });
    scored.sort((a, b) => b.importance - a.importance);
    total = scored.length;
    selected = scored.slice(query.offset, query.offset + query.limit).map((entry) => entry.node);
  }

  const inSelection = new Set(selected);
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const node of selected) {
    for (const edge of shownEdges(node)) {
      if (seen.has(edge.id)) continue;
      seen.add(edge.id);
      if (!inSelection.has(edge.source) || !inSelection.has(edge.target)) continue;
      edges.push(toGraphEdge(index, edge.id, edge.source, edge.target, edge.attributes));
    }
  }
  return {
    nodes: selected.map((node) => toGraphNode(index, node, shownEdges(node), importance(node))),
    edges,
    totalNodes: total,
  };
}

interface ShownEdge {
  id: string;
  attributes: EdgeAttributes;
  source: string;
  target: string;
}

function importanceOf(index: SemanticIndex, node: string, edges: ShownEdge[]): number {
  const attributes = index.graph.getNodeAttributes(node);
  const mentions = attributes.kind === "entity" ? index.mentionCount(node) : 0;
  let links = 0;
  for (const edge of edges) links += edge.attributes.kind === "fact" ? 2 : 1;
  return mentions + links;
}

function toGraphNode(index: SemanticIndex, node: string, edges: ShownEdge[], importance: number): GraphNode {
  const attributes = index.graph.getNodeAttributes(node);
  const factCount = edges.filter((edge) => edge.attributes.kind === "fact").length;
  return {
    id: node,
    label: attributes.label,
    kind: attributes.kind,
    ...(attributes.type ? { type: attributes.type } : {}),
    importance,
    mentionCount: attributes.kind === "entity" ? index.mentionCount(node) : 0,
    factCount,
  };
}

function toGraphEdge(
  index: SemanticIndex,
  id: string,
  source: string,
  target: string,
  attributes: EdgeAttributes,
): GraphEdge {
  const edge: GraphEdge = {
    id,
    source,
    target,
    label: attributes.label,
    kind: attributes.kind,
    weight: attributes.weight,
  };
  if (attributes.kind === "fact") {
    const fact = index.facts.get(id)!;
    edge.factId = id;
    edge.status = fact.status;
    edge.validFrom = fact.validFrom === null ? null : new Date(fact.validFrom).toISOString();
    edge.validTo = fact.validTo === null ? null : new Date(fact.validTo).toISOString();
  }
  return edge;
}
