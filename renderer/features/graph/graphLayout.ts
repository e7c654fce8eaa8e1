import forceAtlas2, { type ForceAtlas2LayoutParameters, type ForceAtlas2Settings } from "graphology-layout-forceatlas2";
import supervisorModule from "graphology-layout-forceatlas2/worker.js";
import type { MemoryGraph, MemoryGraphModel } from "./graphModel.ts";

/** The ForceAtlas2 supervisor: owns the web worker, streams positions back into the graph while running. */
interface LayoutSupervisor {
  start(): void;
  stop(): void;
  kill(): void;
  isRunning(): boolean;
}
type LayoutSupervisorConstructor = new (
  graph: MemoryGraph,
  parameters: ForceAtlas2LayoutParameters,
) => LayoutSupervisor;
// The package's types declare an ES default export, but it is a CommonJS module whose export is the class itself
// (what bundlers and Node hand to a default import), so TypeScript sees a namespace where there is a constructor.
const FA2LayoutSupervisor = supervisorModule as unknown as LayoutSupervisorConstructor;

/**
 * ForceAtlas2 settings for a memory graph of `order` nodes: the library's inferred defaults (strong gravity keeps
 * loose entities from drifting off), with a lower repulsion than it infers so related entities sit close and edges
 * stay short, and Barnes-Hut once the graph is big enough for its approximation to pay.
 */
export function layoutSettingsFor(order: number): ForceAtlas2Settings {
  return { ...forceAtlas2.inferSettings(order), scalingRatio: 4, barnesHutOptimize: order > 800, adjustSizes: false };
}

/**
 * How many ForceAtlas2 iterations a layout of `order` nodes runs (measured on generated memories: a small graph has
 * settled after about a hundred, a few hundred nodes after two hundred); a big graph gets fewer, since each of its
 * iterations costs more and it starts near its final shape (newcomers begin beside their neighbours).
 */
export function layoutIterationsFor(order: number): number {
  if (order <= 100) return 150;
  return Math.round(Math.max(60, Math.min(200, 60_000 / order)));
}

/** A layout stops after this long even if its iterations are not done (a slow machine, a huge graph). */
const longestLayoutMs = 20_000;

/**
 * Runs ForceAtlas2 in a web worker over the model's graph, only when nodes without a settled place arrived, for a
 * bounded number of iterations: positions stream back into the graphology instance (sigma redraws them), so panning
 * never waits for the layout. When newcomers join a picture the user already knows, the known nodes are pinned (`fixed`) and only
 * the newcomers move. Settled positions are written to the model's position memory.
 */
export class GraphLayout {
  readonly #model: MemoryGraphModel;
  readonly #onChange: (running: boolean) => void;
  #supervisor: LayoutSupervisor | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pinned: string[] = [];
  /** Counts iterations: the supervisor writes each one's positions with one bulk update of the graph. */
  #onIteration: (() => void) | null = null;

  constructor(model: MemoryGraphModel, onChange: (running: boolean) => void = () => undefined) {
    this.#model = model;
    this.#onChange = onChange;
  }

  get running(): boolean {
    return this.#supervisor !== null;
  }

  /** Lays out the nodes that arrived since the last run; does nothing when every node already has its place. */
  settleNewcomers(): void {
    const newcomers = this.#model.takeUnsettled();
    if (newcomers.length === 0) return;
    this.#run(new Set(newcomers));
  }

  /**
   * Holds a layout in progress while the user moves the camera, so moving never competes with the layout for the
   * main thread (each iteration redraws every node); `resume` carries on with the iterations left.
   */
  pause(): void {
    if (this.#supervisor?.isRunning()) this.#supervisor.stop();
  }

  resume(): void {
    if (this.#supervisor && !this.#supervisor.isRunning()) this.#supervisor.start();
  }

  /** Stops a layout in progress and keeps the positions it reached. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#onIteration) this.#model.graph.off("eachNodeAttributesUpdated", this.#onIteration);
    this.#onIteration = null;
    if (!this.#supervisor) return;
    this.#supervisor.kill();
    this.#supervisor = null;
    const graph = this.#model.graph;
    for (const node of this.#pinned) if (graph.hasNode(node)) graph.removeNodeAttribute(node, "fixed");
    this.#pinned = [];
    this.#model.savePositions();
    this.#onChange(false);
  }

  dispose(): void {
    this.stop();
  }

  #run(moving: Set<string>): void {
    this.stop();
    const graph = this.#model.graph;
    if (graph.order < 2) return;
    // Pin the known picture when the newcomers are a minority of it; a mostly new graph lays out as a whole.
    if (moving.size * 2 < graph.order) {
      graph.forEachNode((node) => {
        if (moving.has(node)) return;
        graph.setNodeAttribute(node, "fixed", true);
        this.#pinned.push(node);
      });
    }
    // A fresh supervisor per run: it reads the graph once at start, and is killed (worker terminated) at the end.
    this.#supervisor = new FA2LayoutSupervisor(graph, {
      settings: layoutSettingsFor(graph.order),
      getEdgeWeight: null,
    });
    // Stopped by iterations, not by a clock: a worker that starts slowly on a busy machine still gets them all.
    // Newcomers around a pinned picture start beside their neighbours and need far fewer.
    let remaining =
      this.#pinned.length > 0 ? Math.min(50, layoutIterationsFor(graph.order)) : layoutIterationsFor(graph.order);
    this.#onIteration = () => {
      remaining -= 1;
      // Stopped after the supervisor's message handler returns: it still uses its matrices after writing positions.
      if (remaining === 0) queueMicrotask(() => this.stop());
    };
    graph.on("eachNodeAttributesUpdated", this.#onIteration);
    this.#supervisor.start();
    this.#onChange(true);
    this.#timer = setTimeout(() => this.stop(), longestLayoutMs);
  }
}
