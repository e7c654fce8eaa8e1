import { useContext, useEffect, useRef, useState, type KeyboardEvent } from "react";
import Sigma from "sigma";
import { layerFill, layerPlain, pathLine, sdfCircle } from "sigma/rendering";
import type { CameraState } from "sigma/types";
import type { AppStore } from "../../store/appStore.ts";
import { AppStoreContext } from "../../store/storeContext.ts";
import { GraphLayout } from "./graphLayout.ts";
import type { GraphEdgeAttributes, GraphNodeAttributes, MemoryGraphModel } from "./graphModel.ts";
import {
  customEdgeState,
  customNodeState,
  edgeFlags,
  hoverNeighbourhood,
  nodeFlags,
  type GraphView,
} from "./graphStates.ts";
import { graphStyles } from "./graphStyles.ts";
import { readGraphTheme } from "./graphTheme.ts";

/** Zooming in past this share of the last ratio that asked for more nodes asks for more again. */
const zoomStepForMore = 0.6;
/** The camera counts as still this long after its last move: then more nodes are fetched and the layout goes on. */
const cameraIdleMs = 450;
/** Above this many edges, edges are left out while the camera moves: a frame then costs what the nodes cost. */
const edgesHiddenWhileMovingAbove = 3000;
/**
 * Above this many nodes, labels are left out while the camera moves: text is what a frame costs most on a software
 * renderer (measured in headless Chromium: 300 nodes with their labels drew in about 100 ms, without them in 33).
 */
const labelsHiddenWhileMovingAbove = 150;
/** Above this many nodes, framing fits positions only (fitting every label's box again at each layout step costs). */
const bigGraphAbove = 1500;

/** The settings that follow the graph's size, set at start and whenever the graph changes. */
const sizeSettings = (order: number, size: number) =>
  ({
    hideEdgesOnMove: size > edgesHiddenWhileMovingAbove,
    hideLabelsOnMove: order > labelsHiddenWhileMovingAbove,
    autoRescaleContent: order > bigGraphAbove ? "positions" : "labels",
  }) as const;

type MemorySigma = Sigma<
  GraphNodeAttributes,
  GraphEdgeAttributes,
  object,
  typeof customNodeState,
  typeof customEdgeState
>;

/** A sigma instance over the model's graph, styled for the page's current theme. */
function createSigma(model: MemoryGraphModel, container: HTMLElement, camera: CameraState | null): MemorySigma {
  const sigma: MemorySigma = new Sigma(model.graph, container, {
    // Only what the graph uses (circles, straight lines; the model has no self-loops): smaller shaders to compile.
    primitives: {
      nodes: { shapes: [sdfCircle()], layers: [layerFill()] },
      edges: { paths: [pathLine()], layers: [layerPlain()] },
    },
    customNodeState: { ...customNodeState },
    customEdgeState: { ...customEdgeState },
    styles: graphStyles(readGraphTheme(container)),
    settings: {
      allowInvalidContainer: true,
      renderEdgeLabels: true,
      ...sizeSettings(model.graph.order, model.graph.size),
      // Labels of the biggest entities in each cell of a grid: all of them in a small graph, never a pile.
      labelDensity: 1,
      labelGridCellSize: 80,
      labelRenderedSizeThreshold: 5,
      // Sizes in pixels, growing a little as the user zooms in (at most by half): a big graph zoomed out is not a blot,
      // and zooming in does not multiply the pixels to fill (which is what a frame costs on a software renderer).
      itemSizesReference: "screen",
      zoomToSizeRatioFunction: (ratio) => Math.max(0.66, Math.sqrt(ratio)),
      // Hover and click are found by drawing ids at a third of the resolution: a ninth of the pixels, nodes still hit.
      pickingDownSizingRatio: 3,
      minEdgeThickness: 0.6,
      stagePadding: 24,
    },
  });
  if (camera) sigma.getCamera().setState(camera);
  return sigma;
}

/**
 * Sets every node's and edge's flags for `view`, or only those of `only` (sigma skips items whose flags did not
 * change, and re-styles the rest on the next frame).
 */
function applyView(sigma: MemorySigma, view: GraphView, only?: { nodes: string[]; edges: string[] }): void {
  const graph = sigma.getGraph();
  const nodes = only ? only.nodes.filter((node) => graph.hasNode(node)) : graph.nodes();
  const edges = only ? only.edges.filter((edge) => graph.hasEdge(edge)) : graph.edges();
  for (const node of nodes) sigma.setNodeState(node, nodeFlags(graph, node, view));
  for (const edge of edges) sigma.setEdgeState(edge, edgeFlags(graph, edge, view));
}

/**
 * The WebGL drawing of the memory graph: sigma over the store's one graphology instance, styled through state flags
 * from what is selected, searched and filtered, laid out by ForceAtlas2 in a worker when new nodes arrive. Clicking a
 * node selects it, double-clicking shows its neighbourhood; with the keyboard, arrows pan, + and - zoom, 0 resets.
 */
export function GraphCanvas() {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error("GraphCanvas must be inside <AppStoreContext.Provider>.");
  const containerRef = useRef<HTMLDivElement>(null);
  const sigmaRef = useRef<MemorySigma | null>(null);
  const [layoutRunning, setLayoutRunning] = useState(false);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    return mountGraph(store, container, sigmaRef, setLayoutRunning);
  }, [store]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    const camera = sigma.getCamera();
    const { x, y, ratio } = camera.getState();
    const step = 0.1 * ratio;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => camera.animate({ x: x - step }, { duration: 150 }),
      ArrowRight: () => camera.animate({ x: x + step }, { duration: 150 }),
      ArrowUp: () => camera.animate({ y: y + step }, { duration: 150 }),
      ArrowDown: () => camera.animate({ y: y - step }, { duration: 150 }),
      "+": () => camera.zoomIn({ duration: 150 }),
      "=": () => camera.zoomIn({ duration: 150 }),
      "-": () => camera.zoomOut({ duration: 150 }),
      "0": () => camera.reset({ duration: 200 }),
      Escape: () => void store.getState().selectGraphNode(null),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  return (
    <div className="graph-stage">
      <div
        ref={containerRef}
        className="graph-canvas"
        data-testid="graph-canvas"
        tabIndex={0}
        role="application"
        aria-label="Memory graph. Arrow keys pan, plus and minus zoom, 0 shows everything, Escape clears the selection."
        onKeyDown={onKeyDown}
      />
      {layoutRunning ? (
        <p className="graph-layout-status" role="status">
          Arranging…
        </p>
      ) : null}
    </div>
  );
}

/** Draws the store's graph in `container` and keeps it in step with the store; returns what takes it down. */
function mountGraph(
  store: AppStore,
  container: HTMLElement,
  sigmaRef: { current: MemorySigma | null },
  setLayoutRunning: (running: boolean) => void,
): () => void {
  const model = store.getState().graphModel;
  const graph = model.graph;
  const initial = store.getState();
  const view: GraphView = {
    selected: initial.graphSelectedId,
    hovered: null,
    matches: new Set(initial.graphMatches),
    hiddenKinds: new Set(initial.graphHiddenKinds),
  };
  const layout = new GraphLayout(model, setLayoutRunning);
  let sigma = createSigma(model, container, null);
  let ratioThatAskedForMore = 1;
  // The scope changes in one store update and its graph arrives in a later one: the camera is reset on the latter.
  let framedScope = initial.graphScope;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  // While the camera moves, the layout waits; once it rests, the layout goes on, and if the user zoomed in far
  // enough, the overview asks for its next entities (more of the memory as they zoom).
  const onCameraRest = () => {
    idleTimer = null;
    layout.resume();
    const { ratio } = sigma.getCamera().getState();
    if (ratio > ratioThatAskedForMore * zoomStepForMore) return;
    ratioThatAskedForMore = ratio;
    void store.getState().showMore();
  };
  const onCamera = () => {
    layout.pause();
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(onCameraRest, cameraIdleMs);
  };

  const wire = (instance: MemorySigma) => {
    instance.on("clickNode", ({ node }) => void store.getState().selectGraphNode(node));
    instance.on("doubleClickNode", ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      void store.getState().focusEntity(node);
    });
    instance.on("clickStage", () => void store.getState().selectGraphNode(null));
    instance.on("enterNode", ({ node }) => {
      const before = hoverNeighbourhood(graph, view.hovered);
      view.hovered = node;
      const after = hoverNeighbourhood(graph, node);
      applyView(instance, view, { nodes: [...before.nodes, ...after.nodes], edges: [...before.edges, ...after.edges] });
    });
    instance.on("leaveNode", () => {
      const before = hoverNeighbourhood(graph, view.hovered);
      view.hovered = null;
      applyView(instance, view, before);
    });
    instance.getCamera().on("updated", onCamera);
    applyView(instance, view);
    sigmaRef.current = instance;
  };
  wire(sigma);

  const unsubscribe = store.subscribe((state, previous) => {
    let changed = false;
    if (state.graphSelectedId !== previous.graphSelectedId) {
      view.selected = state.graphSelectedId;
      changed = true;
    }
    if (state.graphMatches !== previous.graphMatches) {
      view.matches = new Set(state.graphMatches);
      changed = true;
    }
    if (state.graphHiddenKinds !== previous.graphHiddenKinds) {
      view.hiddenKinds = new Set(state.graphHiddenKinds);
      changed = true;
    }
    if (state.graphRevision !== previous.graphRevision) {
      sigma.setSettings(sizeSettings(graph.order, graph.size));
      layout.settleNewcomers();
      if (idleTimer) layout.pause();
      changed = true;
      if (state.graphScope !== framedScope) {
        framedScope = state.graphScope;
        ratioThatAskedForMore = 1;
        void sigma.getCamera().reset({ duration: 300 });
      }
    }
    if (changed) applyView(sigma, view);
    if (state.graphSelectedId !== previous.graphSelectedId) centreOn(sigma, state.graphSelectedId);
  });

  // The styles carry the theme's colours, and sigma reads styles once: a new theme gets a new sigma, same camera.
  const colorScheme = window.matchMedia("(prefers-color-scheme: dark)");
  const onScheme = () => {
    const camera = sigma.getCamera().getState();
    sigma.kill();
    sigma = createSigma(model, container, camera);
    wire(sigma);
  };
  colorScheme.addEventListener("change", onScheme);

  layout.settleNewcomers();
  // Every visit reloads in place (the memory may have changed meanwhile); what is still there keeps its place.
  store.getState().setGraphVisible(true);
  void store.getState().loadGraph();

  return () => {
    store.getState().setGraphVisible(false);
    colorScheme.removeEventListener("change", onScheme);
    unsubscribe();
    if (idleTimer) clearTimeout(idleTimer);
    layout.dispose();
    model.savePositions();
    sigma.kill();
    sigmaRef.current = null;
  };
}

/** Brings a node into view when it was chosen from a list (a click on the drawing already has it in view). */
function centreOn(sigma: MemorySigma, node: string | null): void {
  // While the camera moves to show a new scope (a neighbourhood just opened), that move already frames the node.
  if (!node || !sigma.getGraph().hasNode(node) || sigma.getCamera().isAnimating()) return;
  // Display data are graph coordinates; the camera moves in the normalised ("framed") space.
  const display = sigma.getNodeDisplayData(node);
  if (!display) return;
  const { x, y } = sigma.graphToViewport(display);
  const { width, height } = sigma.getDimensions();
  if (x > 40 && y > 40 && x < width - 40 && y < height - 40) return;
  sigma.getCamera().animate(sigma.graphToFramedGraph(display), { duration: 300 });
}
