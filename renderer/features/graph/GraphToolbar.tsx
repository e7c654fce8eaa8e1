import { useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/**
 * The graph's controls: search (Enter also asks the engine for entities not on screen), the "as it was on" date, and
 * what is shown (the overview, more, everything), with how much of the memory that is.
 */
export function GraphToolbar() {
  const search = useAppState((state) => state.graphSearch);
  const searchGraph = useAppState((state) => state.searchGraph);
  const asOf = useAppState((state) => state.graphAsOf);
  const setGraphAsOf = useAppState((state) => state.setGraphAsOf);
  const scope = useAppState((state) => state.graphScope);
  const total = useAppState((state) => state.graphTotalNodes);
  const loading = useAppState((state) => state.graphLoading);
  const showOverview = useAppState((state) => state.showOverview);
  const showMore = useAppState((state) => state.showMore);
  const showEverything = useAppState((state) => state.showEverything);
  const model = useAppState((state) => state.graphModel);
  useAppState((state) => state.graphRevision);
  const [text, setText] = useState(search);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    void searchGraph(text);
  };
  const shown = model.graph.order;

  return (
    <div className="graph-toolbar">
      <form className="graph-search" role="search" onSubmit={onSearch}>
        <label htmlFor="graph-search-input" className="visually-hidden">
          Search the graph
        </label>
        <input
          id="graph-search-input"
          type="search"
          placeholder="Search entities…"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value === "") void searchGraph("");
          }}
        />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      <label className="graph-as-of">
        <span>As it was on</span>
        <input
          type="date"
          value={asOf ?? ""}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(event) => void setGraphAsOf(event.target.value || null)}
        />
      </label>
      {asOf ? (
        <button type="button" className="button" onClick={() => void setGraphAsOf(null)}>
          Now
        </button>
      ) : null}
      <div className="graph-scope" aria-live="polite">
        <span className="graph-count">
          {scope.kind === "around" ? `Around ${scope.label}: ` : ""}
          {shown} of {total ?? "…"} entities{loading ? " · loading…" : ""}
        </span>
        {scope.kind !== "overview" ? (
          <button type="button" className="button" onClick={() => void showOverview()}>
            Overview
          </button>
        ) : null}
        {scope.kind === "overview" && total !== null && shown < total ? (
          <button type="button" className="button" onClick={() => void showMore()}>
            Show more
          </button>
        ) : null}
        {scope.kind !== "everything" && total !== null && shown < total ? (
          <button type="button" className="button" onClick={() => void showEverything()}>
            Show everything
          </button>
        ) : null}
      </div>
    </div>
  );
}
