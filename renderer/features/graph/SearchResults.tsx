import { useAppState } from "../../store/storeContext.ts";

/**
 * What the search found: how many entities on screen match (they are lit in the drawing), and the entities the engine
 * knows by that name, shown or not; choosing one opens its neighbourhood.
 */
export function SearchResults() {
  const search = useAppState((state) => state.graphSearch);
  const matches = useAppState((state) => state.graphMatches);
  const results = useAppState((state) => state.graphSearchResults);
  const focusEntity = useAppState((state) => state.focusEntity);
  if (!search.trim()) return null;

  return (
    <section className="graph-results" aria-label="Search results">
      <p className="graph-results-summary">
        {matches.length === 0 ? "None on screen" : `${matches.length} on screen`} · {results.length} in memory
      </p>
      <ul>
        {results.map((entity) => (
          <li key={entity.id}>
            <button type="button" className="graph-result" onClick={() => void focusEntity(entity.id)}>
              <span className="graph-swatch" data-kind={entity.type} aria-hidden="true" />
              <span className="graph-result-name">{entity.name}</span>
              <span className="graph-result-details">
                {entity.type} · {entity.mentionCount} mentions · {entity.factCount} facts
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
