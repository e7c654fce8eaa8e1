import { useAppState } from "../../store/storeContext.ts";
import { EntityRow } from "./EntityRow.tsx";
import { EpisodeRow } from "./EpisodeRow.tsx";
import { FactRow } from "./FactRow.tsx";

/** What the memory search found, by kind (facts, people and things, turns, summaries), each with its actions. */
export function SearchResults() {
  const hits = useAppState((state) => state.memoryHits);
  const facts = useAppState((state) => state.memoryFactHits);
  const entities = useAppState((state) => state.memoryEntityHits);
  const query = useAppState((state) => state.memoryHitsQuery);
  const clear = useAppState((state) => state.clearMemorySearch);
  if (!hits) return null;
  const summaries = hits.filter((hit) => hit.kind === "summary");
  const episodes = hits.filter((hit) => hit.kind === "episode");
  const count = hits.length + (facts?.length ?? 0) + (entities?.length ?? 0);
  return (
    <section className="search-results" aria-label={`Search results for ${query}`}>
      <header className="panel-header">
        <h2>
          {count === 0 ? "Nothing found" : `${count} result${count === 1 ? "" : "s"}`} for “{query}”
        </h2>
        <button type="button" className="button subtle" onClick={clear}>
          Clear search
        </button>
      </header>
      {facts && facts.length > 0 ? (
        <>
          <h3>Facts</h3>
          <ul className="memory-list" aria-label="Matching facts">
            {facts.map((fact) => (
              <FactRow key={fact.id} fact={fact} />
            ))}
          </ul>
        </>
      ) : null}
      {entities && entities.length > 0 ? (
        <>
          <h3>People, places and things</h3>
          <ul className="memory-list" aria-label="Matching entities">
            {entities.map((entity) => (
              <EntityRow key={entity.id} entity={entity} />
            ))}
          </ul>
        </>
      ) : null}
      {episodes.length > 0 ? (
        <>
          <h3>Turns</h3>
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
                  archived: hit.archived,
                }}
              />
            ))}
          </ul>
        </>
      ) : null}
      {summaries.length > 0 ? (
        <>
          <h3>Summaries</h3>
          <ul className="memory-list" aria-label="Matching summaries">
            {summaries.map((hit) => (
              <li key={hit.id} className="memory-row summary-row">
                <p className="memory-text">{hit.text}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
