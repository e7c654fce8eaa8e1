import { useAppState } from "../../store/storeContext.ts";
import { EpisodeRow } from "./EpisodeRow.tsx";

/** The hits of the memory search, best first, each with the actions of its kind. */
export function SearchResults() {
  const hits = useAppState((state) => state.memoryHits);
  const query = useAppState((state) => state.memoryHitsQuery);
  const clear = useAppState((state) => state.clearMemorySearch);
  if (!hits) return null;
  const summaries = hits.filter((hit) => hit.kind === "summary");
  const episodes = hits.filter((hit) => hit.kind === "episode");
  return (
    <section className="search-results" aria-label={`Search results for ${query}`}>
      <header className="panel-header">
        <h2>
          {hits.length === 0 ? "Nothing found" : `${hits.length} result${hits.length === 1 ? "" : "s"}`} for “{query}”
        </h2>
        <button type="button" className="button subtle" onClick={clear}>
          Clear search
        </button>
      </header>
      {episodes.length > 0 ? (
        <ul className="memory-list" aria-label="Matching turns">
          {episodes.map((hit) => (
            <EpisodeRow
              key={hit.id}
              episode={{
                id: hit.id,
                conversationId: hit.conversationId,
                speaker: hit.speaker,
                text: hit.text,
                at: hit.at,
              }}
            />
          ))}
        </ul>
      ) : null}
      {summaries.length > 0 ? (
        <ul className="memory-list" aria-label="Matching summaries">
          {summaries.map((hit) => (
            <li key={hit.id} className="memory-row summary-row">
              <span className="memory-kind">Summary</span>
              <p className="memory-text">{hit.text}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
