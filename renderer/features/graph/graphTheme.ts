/**
 * The colours sigma draws with. WebGL cannot read CSS, so they are read from the page's CSS variables (styles.css and
 * graph.css, which switch with prefers-color-scheme) whenever the theme changes, and handed to the reducers.
 */
export interface GraphTheme {
  label: string;
  /** Behind the selected entity and its label, so it reads above what it overlaps. */
  backdrop: string;
  backdropShadow: string;
  edge: string;
  /** Edges of the selected or hovered entity. */
  edgeFocus: string;
  /** Entities and edges outside the focus, pushed into the background. */
  dimmedNode: string;
  dimmedEdge: string;
  kindColors: Readonly<Record<string, string>>;
  /** Colour of a kind the palette does not name. */
  otherKind: string;
}

/** Entity kinds with a colour of their own (graph.css declares one variable per kind, light and dark). */
export const paletteKinds = ["person", "place", "organisation", "thing", "date", "value"];

/** A light theme, used where no stylesheet is loaded (tests) and as the fallback of every variable. */
export const defaultGraphTheme: GraphTheme = {
  label: "#22211f",
  backdrop: "#ffffff",
  backdropShadow: "rgba(0, 0, 0, 0.18)",
  edge: "#c9c4ba",
  edgeFocus: "#3d5bd9",
  dimmedNode: "#dcd8cf",
  dimmedEdge: "#ebe8e2",
  kindColors: {
    person: "#3d5bd9",
    place: "#2e7d4f",
    organisation: "#b0531c",
    thing: "#7a4fb5",
    date: "#8a7a2e",
    value: "#8c8880",
  },
  otherKind: "#6d6a63",
};

/**
 * Reads the theme from the CSS variables in effect on `element`. Each colour goes through a canvas' fillStyle, which
 * turns any CSS colour syntax into the #rrggbb or rgba() form sigma parses.
 */
export function readGraphTheme(element: Element): GraphTheme {
  const style = getComputedStyle(element);
  const context = document.createElement("canvas").getContext("2d");
  const read = (name: string, fallback: string) => {
    const value = style.getPropertyValue(name).trim() || fallback;
    if (!context) return value;
    context.fillStyle = fallback;
    context.fillStyle = value;
    return String(context.fillStyle);
  };
  const kindColors: Record<string, string> = {};
  for (const kind of paletteKinds) {
    kindColors[kind] = read(`--graph-kind-${kind}`, defaultGraphTheme.kindColors[kind] ?? defaultGraphTheme.otherKind);
  }
  return {
    label: read("--text", defaultGraphTheme.label),
    backdrop: read("--surface", defaultGraphTheme.backdrop),
    backdropShadow: read("--graph-backdrop-shadow", defaultGraphTheme.backdropShadow),
    edge: read("--graph-edge", defaultGraphTheme.edge),
    edgeFocus: read("--accent", defaultGraphTheme.edgeFocus),
    dimmedNode: read("--graph-dimmed-node", defaultGraphTheme.dimmedNode),
    dimmedEdge: read("--graph-dimmed-edge", defaultGraphTheme.dimmedEdge),
    kindColors,
    otherKind: read("--muted", defaultGraphTheme.otherKind),
  };
}

/** The colour of an entity kind. */
export function kindColor(theme: GraphTheme, kind: string): string {
  return theme.kindColors[kind.toLowerCase()] ?? theme.otherKind;
}
