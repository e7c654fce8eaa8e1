/**
 * The colours sigma draws with. WebGL cannot read CSS, so they are read from the page's CSS variables (styles.css and
 * graph.css, which switch with prefers-color-scheme) whenever the theme changes, and handed to the reducers.
 */
export interface GraphTheme {
  label: string;
  edge: string;
  /** Edges of the selected or hovered entity. */
  edgeFocus: string;
  /** Entities and edges outside the focus, pushed into the background. */
  dimmedNode: string;
  dimmedEdge: string;
  /** The ring of search matches. */
  match: string;
  kindColors: Readonly<Record<string, string>>;
  /** Colour of a kind the palette does not name. */
  otherKind: string;
}

/** Entity kinds with a colour of their own (graph.css declares one variable per kind, light and dark). */
export const paletteKinds = ["person", "place", "organisation", "thing", "date", "value"];

/** A light theme, used where no stylesheet is loaded (tests) and as the fallback of every variable. */
export const defaultGraphTheme: GraphTheme = {
  label: "#22211f",
  edge: "#c9c4ba",
  edgeFocus: "#3d5bd9",
  dimmedNode: "#dcd8cf",
  dimmedEdge: "#ebe8e2",
  match: "#c27c0e",
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

/** Reads the theme from the CSS variables in effect on `element`. */
export function readGraphTheme(element: Element): GraphTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const kindColors: Record<string, string> = {};
  for (const kind of paletteKinds) {
    kindColors[kind] = read(`--graph-kind-${kind}`, defaultGraphTheme.kindColors[kind] ?? defaultGraphTheme.otherKind);
  }
  return {
    label: read("--text", defaultGraphTheme.label),
    edge: read("--graph-edge", defaultGraphTheme.edge),
    edgeFocus: read("--accent", defaultGraphTheme.edgeFocus),
    dimmedNode: read("--graph-dimmed-node", defaultGraphTheme.dimmedNode),
    dimmedEdge: read("--graph-dimmed-edge", defaultGraphTheme.dimmedEdge),
    match: read("--warning", defaultGraphTheme.match),
    kindColors,
    otherKind: read("--muted", defaultGraphTheme.otherKind),
  };
}

/** The colour of an entity kind. */
export function kindColor(theme: GraphTheme, kind: string): string {
  return theme.kindColors[kind.toLowerCase()] ?? theme.otherKind;
}
