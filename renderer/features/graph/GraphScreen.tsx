import { GraphCanvas } from "./GraphCanvas.tsx";
import { GraphToolbar } from "./GraphToolbar.tsx";
import { KindFilter } from "./KindFilter.tsx";
import { NodeInspector } from "./NodeInspector.tsx";
import { SearchResults } from "./SearchResults.tsx";
import { useAppState } from "../../store/storeContext.ts";
import "./graph.css";

/**
 * The memory graph: entities and the facts and relations between them, drawn with WebGL. It opens on what matters
 * (the most important entities), shows more as the user zooms in, and one entity's neighbourhood on request.
 */
export function GraphScreen() {
  const error = useAppState((state) => state.graphError);
  const loadGraph = useAppState((state) => state.loadGraph);
  const total = useAppState((state) => state.graphTotalNodes);
  const loading = useAppState((state) => state.graphLoading);

  return (
    <main className="graph-screen" aria-label="Memory graph">
      <GraphToolbar />
      <div className="graph-body">
        <div className="graph-side">
          <SearchResults />
          <KindFilter />
        </div>
        <div className="graph-main">
          {error ? (
            <div className="graph-error" role="alert">
              The graph could not be loaded: {error}{" "}
              <button type="button" className="button" onClick={() => void loadGraph()}>
                Try again
              </button>
            </div>
          ) : null}
          {total === 0 && !loading ? (
            <p className="graph-empty-memory">
              Nothing to draw yet: the people, places and things you talk about appear here as Engram reads your
              conversations.
            </p>
          ) : null}
          <GraphCanvas />
        </div>
        <NodeInspector />
      </div>
    </main>
  );
}

export default GraphScreen;
