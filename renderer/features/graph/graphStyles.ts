import type { StylesDeclaration } from "sigma/types";
import type { GraphEdgeAttributes, GraphNodeAttributes } from "./graphModel.ts";
import type { customEdgeState, customNodeState } from "./graphStates.ts";
import type { GraphTheme } from "./graphTheme.ts";

type NodeState = typeof customNodeState;
type EdgeState = typeof customEdgeState;
export type GraphStyles = StylesDeclaration<GraphNodeAttributes, GraphEdgeAttributes, NodeState, EdgeState>;

/**
 * How sigma draws the graph in `theme`: only attribute bindings and state conditions, no functions, so sigma knows
 * each item's look depends on its own data and state alone and re-styles just the items whose state changed (a
 * function or a reducer would make it re-style every node and edge at each pan, zoom or hover).
 */
export function graphStyles(theme: GraphTheme): GraphStyles {
  return {
    nodes: [
      {
        x: { attribute: "x" },
        y: { attribute: "y" },
        size: { attribute: "size", defaultValue: 4 },
        label: { attribute: "label" },
        color: { attribute: "kind", dict: { ...theme.kindColors }, defaultValue: theme.otherKind },
        labelColor: theme.label,
        labelVisibility: "auto",
        visibility: "visible",
        depth: "nodes",
      },
      { whenState: "isHighlighted", then: { labelVisibility: "visible", depth: "topNodes" } },
      { whenState: "isHovered", then: { labelVisibility: "visible", depth: "topNodes" } },
      {
        whenState: "isFocus",
        then: {
          labelVisibility: "visible",
          depth: "topNodes",
          labelDepth: "topNodes",
          backdropVisibility: "visible",
          backdropColor: theme.backdrop,
          backdropShadowColor: theme.backdropShadow,
          backdropShadowBlur: 10,
          backdropPadding: 5,
        },
      },
      { whenState: "isDimmed", then: { color: theme.dimmedNode, labelVisibility: "hidden" } },
      { whenState: "isHidden", then: { visibility: "hidden" } },
    ],
    edges: [
      {
        size: { attribute: "size", defaultValue: 0.6 },
        color: theme.edge,
        label: { attribute: "label" },
        labelVisibility: "hidden",
        visibility: "visible",
        depth: "edges",
      },
      {
        whenState: "isHighlighted",
        then: {
          color: theme.edgeFocus,
          size: 1.5,
          labelVisibility: "visible",
          labelColor: theme.label,
          depth: "topEdges",
        },
      },
      { whenState: "isDimmed", then: { color: theme.dimmedEdge } },
      { whenState: "isHidden", then: { visibility: "hidden" } },
    ],
  };
}
