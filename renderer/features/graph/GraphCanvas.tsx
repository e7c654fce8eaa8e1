import { useContext, useEffect, useRef, useState, type KeyboardEvent } from "react";
import Sigma from "sigma";
import { AppStoreContext } from "../../store/storeContext.ts";
import { GraphLayout } from "./graphLayout.ts";
import type { GraphEdgeAttributes, GraphNodeAttributes } from "./graphModel.ts";
import { styleEdge, styleNode, type GraphView } from "./graphReducers.ts";
import { readGraphTheme } from "./graphTheme.ts";

/** Zooming in past this share of the last ratio that asked for more nodes asks for more again. */
const zoomStepForMore = 0.6;
/** Above this many edges, edges are left out while the camera moves: a frame then costs what the nodes cost. */
const edgesHiddenWhileMovingAbove = 3000;

type MemorySigma = Sigma<GraphNodeAttributes, GraphEdgeAttributes>;

/**
 * The WebGL drawing of the memory graph: sigma over the store's one graphology instance, styled by the reducers from
 * what is selected, searched and filtered, laid out by ForceAtlas2 in a worker when new nodes arrive. Clicking a node
 * selects it, double-clicking shows its neighbourhood; with the keyboard, arrows pan, + and - zoom, 0 resets.
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
    const model = store.getState().graphModel;
    const graph = model.graph;
    const initial = store.getState();
    const view: GraphView = {
      selected: initial.graphSelectedId,
      hovered: null,
      matches: new Set(initial.graphMatches),
      hiddenKinds: new Set(initial.graphHiddenKinds),
    };
    let theme = readGraphTheme(container);

    const sigma: MemorySigma = new Sigma(graph, container, {
      settings: {
        allowInvalidContainer: true,
        renderEdgeLabels: true,
        hideEdgesOnMove: graph.size > edgesHiddenWhileMovingAbove,
        // Labels of the biggest entities in each cell of a grid: all of them in a small graph, never a pile.
        labelDensity: 1,
        labelGridCellSize: 100,
        labelRenderedSizeThreshold: 5,
        // Sizes in pixels, growing a little as the user zooms in, so a big graph zoomed out is not a blot.
        itemSizesReference: "screen",
        zoomToSizeRatioFunction: (ratio) => Math.sqrt(ratio),
        minEdgeThickness: 0.6,
        stagePadding: 24,
        // Fit labels too when framing, so a name at the edge of the drawing is not cut off.
        autoRescaleContent: "labels",
      },
      nodeReducer: (key, _data, attributes) => styleNode(graph, key, attributes, view, theme),
      edgeReducer: (key, _data, attributes) => styleEdge(graph, key, attributes, view, theme),
    });
    sigmaRef.current = sigma;
    const layout = new GraphLayout(model, setLayoutRunning);
    const restyle = () => sigma.scheduleRefresh();

    sigma.on("clickNode", ({ node }) => void store.getState().selectGraphNode(node));
    sigma.on("doubleClickNode", ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      void store.getState().focusEntity(node);
    });
    sigma.on("clickStage", () => void store.getState().selectGraphNode(null));
    sigma.on("enterNode", ({ node }) => {
      view.hovered = node;
      if (view.selected === null) restyle();
    });
    sigma.on("leaveNode", () => {
      view.hovered = null;
      if (view.selected === null) restyle();
    });

    // More of the memory as the user zooms in: each further step in asks the overview for its next entities.
    let ratioThatAskedForMore = 1;
    let moreTimer: ReturnType<typeof setTimeout> | null = null;
    const camera = sigma.getCamera();
    const onCamera = ({ ratio }: { ratio: number }) => {
      if (ratio > ratioThatAskedForMore * zoomStepForMore || moreTimer) return;
      moreTimer = setTimeout(() => {
        moreTimer = null;
        ratioThatAskedForMore = camera.getState().ratio;
        void store.getState().showMore();
      }, 400);
    };
    camera.on("updated", onCamera);

    const unsubscribe = store.subscribe((state, previous) => {
      let changed = false;
      if (state.graphSelectedId !== previous.graphSelectedId) {
        view.selected = state.graphSelectedId;
        changed = true;
        centreOn(sigma, state.graphSelectedId);
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
        sigma.setSetting("hideEdgesOnMove", graph.size > edgesHiddenWhileMovingAbove);
        layout.settleNewcomers();
        if (state.graphScope !== previous.graphScope) {
          ratioThatAskedForMore = 1;
          void camera.reset({ duration: 300 });
        }
      }
      if (changed) restyle();
    });

    const colorScheme = window.matchMedia("(prefers-color-scheme: dark)");
    const onScheme = () => {
      theme = readGraphTheme(container);
      restyle();
    };
    colorScheme.addEventListener("change", onScheme);

    layout.settleNewcomers();
    const state = store.getState();
    if (state.graphRevision === 0 && !state.graphLoading) void state.loadGraph();

    return () => {
      colorScheme.removeEventListener("change", onScheme);
      unsubscribe();
      camera.off("updated", onCamera);
      if (moreTimer) clearTimeout(moreTimer);
      layout.dispose();
      model.savePositions();
      sigma.kill();
      sigmaRef.current = null;
    };
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
