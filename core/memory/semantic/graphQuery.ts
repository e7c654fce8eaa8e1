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
  // Each node's shown edges are read several times (distance, importance, output): once per query.
  const edgesOf = new Map<string, string[]>();
  const shownEdges = (node: string): string[] => {
    let edges = edgesOf.get(node);
    if (!edges) {
      edges = graph.edges(node).filter((edge) => edgeShown(graph.getEdgeAttributes(edge)));
      edgesOf.set(node, edges);
    }
    return edges;
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
          const other = graph.opposite(node, edge);
          if (distance.has(other) || !nodeShown(other)) continue;
          distance.set(other, step);
          // Values (a fact's plain object) end a path: "34" links no one to anyone.
          if (graph.getNodeAttribute(other, "kind") === "entity") next.push(other);
        }
      }
      frontier = next;
    }
    const importance = new Map([...distance.keys()].map((node) => [node, importanceOf(index, node, shownEdges)]));
    const ordered = [...distance.keys()].sort(
      (a, b) => distance.get(a)! - distance.get(b)! || importance.get(b)! - importance.get(a)!,
    );
    total = ordered.length;
    selected = ordered.slice(query.offset, query.offset + query.limit);
  } else {
    const scored: { node: string; importance: number }[] = [];
    graph.forEachNode((node) => {
      if (!nodeShown(node)) return;
      const importance = importanceOf(index, node, shownEdges);
      if (importance > 0) scored.push({ node, importance });
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
      if (seen.has(edge)) continue;
      seen.add(edge);
      if (!inSelection.has(graph.source(edge)) || !inSelection.has(graph.target(edge))) continue;
      edges.push(toGraphEdge(index, edge, graph.source(edge), graph.target(edge), graph.getEdgeAttributes(edge)));
    }
  }
  return { nodes: selected.map((node) => toGraphNode(index, node, shownEdges)), edges, totalNodes: total };
}

function importanceOf(index: SemanticIndex, node: string, shownEdges: (node: string) => string[]): number {
  const attributes = index.graph.getNodeAttributes(node);
  const mentions = attributes.kind === "entity" ? index.mentionCount(node) : 0;
  let links = 0;
  for (const edge of shownEdges(node)) links += index.graph.getEdgeAttribute(edge, "kind") === "fact" ? 2 : 1;
  return mentions + links;
}

function toGraphNode(index: SemanticIndex, node: string, shownEdges: (node: string) => string[]): GraphNode {
  const attributes = index.graph.getNodeAttributes(node);
  const edges = shownEdges(node);
  const factCount = edges.filter((edge) => index.graph.getEdgeAttribute(edge, "kind") === "fact").length;
  return {
    id: node,
    label: attributes.label,
    kind: attributes.kind,
    ...(attributes.type ? { type: attributes.type } : {}),
    importance: importanceOf(index, node, shownEdges),
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
