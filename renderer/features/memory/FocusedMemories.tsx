import { useAppState } from "../../store/storeContext.ts";
import { EpisodeRow } from "./EpisodeRow.tsx";
import { FactRow } from "./FactRow.tsx";

/** The memories a reply was given, looked up by id: its facts, turns and summaries. */
export function FocusedMemories() {
  const ids = useAppState((state) => state.focusedMemoryIds);
  const memories = useAppState((state) => state.focusedMemories);
  const close = useAppState((state) => state.closeFocusedMemories);
  if (!ids) return null;
  return (
    <section className="focused-memories" aria-label="Memories the reply used">
      <header className="panel-header">
        <h2>{ids.length === 1 ? "The memory" : `The ${ids.length} memories`} this reply used</h2>
        <button type="button" className="button subtle" onClick={close}>
          Close
        </button>
      </header>
      {!memories ? (
        <p className="hint">Looking them up…</p>
      ) : (
        <>
          {memories.summaries.length > 0 ? (
            <ul className="memory-list" aria-label="Summaries used">
              {memories.summaries.map((summary) => (
                <li key={summary.id} className="memory-row summary-row">
                  <span className="memory-kind">{summary.kind === "profile" ? "Profile" : "Summary"}</span>
                  <p className="memory-text">{summary.text}</p>
                </li>
              ))}
            </ul>
          ) : null}
          {memories.facts.length > 0 ? (
            <ul className="memory-list" aria-label="Facts used">
              {memories.facts.map((fact) => (
                <FactRow key={fact.id} fact={fact} />
              ))}
            </ul>
          ) : null}
          {memories.episodes.length > 0 ? (
            <ul className="memory-list" aria-label="Turns used">
              {memories.episodes.map((episode) => (
                <EpisodeRow key={episode.id} episode={episode} />
              ))}
            </ul>
          ) : null}
          {memories.missing.length > 0 ? (
            <p className="hint">
              {memories.missing.length} {memories.missing.length === 1 ? "is" : "are"} no longer in the fast index
              (forgotten to the archive or deleted since); the search still finds archived turns.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
