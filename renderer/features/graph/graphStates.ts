import type { MemoryGraph } from "./graphModel.ts";

/**
 * What the user is looking at: the selected entity, the one under the pointer, search matches and the kinds filtered
 * out. It becomes sigma state flags on nodes and edges (below), which the styles (graphStyles.ts) turn into colours,
 * labels and visibility: changing the view re-styles the drawing without touching the graph.
 */
export interface GraphView {
  selected: string | null;
  hovered: string | null;
  matches: ReadonlySet<string>;
  hiddenKinds: ReadonlySet<string>;
}

export const emptyGraphView: GraphView = { selected: null, hovered: null, matches: new Set(), hiddenKinds: new Set() };

/** The flags of one entity. isHidden and isHighlighted are sigma's own; isDimmed and isFocus are the screen's. */
export interface NodeFlags {
  isHidden: boolean;
  /** In the focus: the selected entity's neighbours, the hovered one's, a search match. */
  isHighlighted: boolean;
  /** The selected entity itself. */
  isFocus: boolean;
  /** Outside the focus while there is one (a selection or a search): pushed into the background. */
  isDimmed: boolean;
}

export interface EdgeFlags {
  isHidden: boolean;
  /** Touches the selected (or hovered) entity, or links two search matches: drawn strong, with its label. */
  isHighlighted: boolean;
  isDimmed: boolean;
}

/** The custom state fields sigma is told about, with their defaults. */
export const customNodeState = { isFocus: false, isDimmed: false };
export const customEdgeState = { isDimmed: false };

/**
 * The flags of one entity in `view`. Only a selection or a search dims the rest (an O(n) change, made once when the
 * user acts); hovering lights the hovered entity's neighbours without dimming anyone, so moving the pointer over a
 * big graph changes a handful of nodes, not all of them.
 */
export function nodeFlags(graph: MemoryGraph, key: string, view: GraphView): NodeFlags {
  const isHidden = view.hiddenKinds.has(graph.getNodeAttribute(key, "kind"));
  const selected = view.selected !== null && graph.hasNode(view.selected) ? view.selected : null;
  const hovered = view.hovered !== null && graph.hasNode(view.hovered) ? view.hovered : null;
  const matched = view.matches.has(key);
  const nearSelection = selected !== null && (key === selected || graph.areNeighbors(selected, key));
  const nearHover = hovered !== null && (key === hovered || graph.areNeighbors(hovered, key));
  const focused = selected !== null || view.matches.size > 0;
  return {
    isHidden,
    isHighlighted: nearSelection || nearHover || matched,
    isFocus: key === selected,
    isDimmed: focused && !nearSelection && !matched && !nearHover,
  };
}

/** The flags of one relation in `view`. */
export function edgeFlags(graph: MemoryGraph, key: string, view: GraphView): EdgeFlags {
  const source = graph.source(key);
  const target = graph.target(key);
  const kindHidden = (node: string) => view.hiddenKinds.has(graph.getNodeAttribute(node, "kind"));
  const isHidden = view.hiddenKinds.size > 0 && (kindHidden(source) || kindHidden(target));
  const touches = (node: string | null) => node !== null && (source === node || target === node);
  const isHighlighted =
    touches(view.selected) ||
    (view.selected === null && touches(view.hovered)) ||
    (view.matches.has(source) && view.matches.has(target));
  const focused = view.selected !== null || view.matches.size > 0;
  return { isHidden, isHighlighted, isDimmed: focused && !isHighlighted };
}

/** The nodes and edges whose flags can differ between two views that differ only by the hovered entity. */
export function hoverNeighbourhood(graph: MemoryGraph, hovered: string | null): { nodes: string[]; edges: string[] } {
  if (hovered === null || !graph.hasNode(hovered)) return { nodes: [], edges: [] };
  return { nodes: [hovered, ...graph.neighbors(hovered)], edges: graph.edges(hovered) };
}
