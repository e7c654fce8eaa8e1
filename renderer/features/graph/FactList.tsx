import type { Fact } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";

const day = (timestamp: string | null) => (timestamp ? timestamp.slice(0, 10) : null);

/** When a fact held, as the user reads it: "since 2024-03-01", "2023-01-05 to 2024-03-01". */
function validity(fact: Fact): string | null {
  const from = day(fact.validFrom);
  const to = day(fact.validTo);
  if (from && to) return `${from} to ${to}`;
  if (from) return `since ${from}`;
  if (to) return `until ${to}`;
  return null;
}

/** Where a fact came from: the conversations its turns belong to, by title when the list knows them. */
function SourceList({ fact }: { fact: Fact }) {
  const conversations = useAppState((state) => state.conversations);
  if (fact.sources.length === 0)
    return <span className="graph-fact-source">{fact.origin === "user" ? "typed by you" : "no source"}</span>;
  const titles = [...new Set(fact.sources.map((source) => source.conversationId).filter((id) => id !== undefined))].map(
    (id) => conversations.find((conversation) => conversation.id === id)?.title || "a conversation",
  );
  const turns = fact.sources.length;
  return (
    <span className="graph-fact-source">
      from {turns === 1 ? "1 turn" : `${turns} turns`}
      {titles.length > 0 ? ` in ${titles.join(", ")}` : ""}
    </span>
  );
}

/** The selected entity's facts (facts.list), current ones first, each with its dates and sources; deletable. */
export function FactList() {
  const inspected = useAppState((state) => state.graphFacts);
  const deleteFact = useAppState((state) => state.deleteFact);
  const busy = useAppState((state) => state.graphBusy === "delete");
  if (!inspected) return null;
  const facts = [...inspected.facts].sort((a, b) => Number(b.status === "active") - Number(a.status === "active"));

  return (
    <section className="graph-section" aria-labelledby="graph-facts-title" aria-busy={inspected.loading}>
      <h3 id="graph-facts-title">Facts ({inspected.loading ? "…" : inspected.total})</h3>
      {!inspected.loading && facts.length === 0 ? <p className="graph-empty">No fact about it yet.</p> : null}
      <ul className="graph-facts">
        {facts.map((fact) => (
          <li key={fact.id} className="graph-fact" data-status={fact.status}>
            <p className="graph-fact-statement">{fact.statement}</p>
            <p className="graph-fact-meta">
              {fact.status !== "active" ? <span className="graph-fact-status">{fact.status}</span> : null}
              {validity(fact) ? <span>{validity(fact)}</span> : null}
              <SourceList fact={fact} />
              {fact.status !== "deleted" ? (
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  aria-label={`Delete the fact: ${fact.statement}`}
                  onClick={() => void deleteFact(fact.id)}
                >
                  Delete
                </button>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
