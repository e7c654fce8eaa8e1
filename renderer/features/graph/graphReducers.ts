import type { EdgeDisplayData, NodeDisplayData } from "sigma/types";
import type { GraphEdgeAttributes, GraphNodeAttributes, MemoryGraph } from "./graphModel.ts";
import { kindColor, type GraphTheme } from "./graphTheme.ts";

/**
 * What the user is looking at: the selected entity, the one under the pointer, search matches and the kinds filtered
 * out. The reducers read it on every refresh, so changing it and refreshing sigma re-styles the drawing without
 * touching the graph.
 */
export interface GraphView {
  selected: string | null;
  hovered: string | null;
  matches: ReadonlySet<string>;
  hiddenKinds: ReadonlySet<string>;
}

export const emptyGraphView: GraphView = { selected: null, hovered: null, matches: new Set(), hiddenKinds: new Set() };

type NodeStyle = Partial<NodeDisplayData>;
type EdgeStyle = Partial<EdgeDisplayData>;

/** The entity whose neighbourhood stands out: the selected one, else the one under the pointer. */
const focusOf = (view: GraphView) => view.selected ?? view.hovered;

/** How one entity is drawn in `view`. */
export function styleNode(
  graph: MemoryGraph,
  key: string,
  attributes: GraphNodeAttributes,
  view: GraphView,
  theme: GraphTheme,
): NodeStyle {
  if (view.hiddenKinds.has(attributes.kind)) return { visibility: "hidden", label: null };
  const style: NodeStyle = { color: kindColor(theme, attributes.kind), labelColor: theme.label };
  const focus = focusOf(view);
  const matched = view.matches.has(key);
  if (focus !== null && graph.hasNode(focus)) {
    if (key === focus) {
      return { ...style, size: attributes.size * 1.4, labelVisibility: "visible", depth: "topNodes" };
    }
    if (graph.areNeighbors(focus, key)) return { ...style, labelVisibility: "visible", depth: "topNodes" };
    if (!matched) return { ...style, color: theme.dimmedNode, label: null, labelVisibility: "hidden" };
  }
  if (matched) return { ...style, size: attributes.size * 1.25, labelVisibility: "visible", depth: "topNodes" };
  if (view.matches.size > 0) return { ...style, color: theme.dimmedNode, label: null, labelVisibility: "hidden" };
  return style;
}

/** How one relation is drawn in `view`: thin and quiet unless it touches the focus. */
export function styleEdge(
  graph: MemoryGraph,
  key: string,
  attributes: GraphEdgeAttributes,
  view: GraphView,
  theme: GraphTheme,
): EdgeStyle {
  const source = graph.source(key);
  const target = graph.target(key);
  const kindHidden = (node: string) => view.hiddenKinds.has(graph.getNodeAttribute(node, "kind"));
  if (view.hiddenKinds.size > 0 && (kindHidden(source) || kindHidden(target))) return { visibility: "hidden" };
  const focus = focusOf(view);
  if (focus !== null && graph.hasNode(focus)) {
    if (source === focus || target === focus) {
      return {
        color: theme.edgeFocus,
        size: Math.max(1.5, attributes.size),
        label: attributes.label,
        labelVisibility: "visible",
        labelColor: theme.label,
        depth: "topEdges",
      };
    }
    return { color: theme.dimmedEdge, label: null };
  }
  if (view.matches.size > 0) {
    if (view.matches.has(source) && view.matches.has(target)) return { color: theme.edgeFocus };
    return { color: theme.dimmedEdge, label: null };
  }
  return { color: theme.edge, label: null };
}
