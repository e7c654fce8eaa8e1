import type { HistoryEntry } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

const noEntries: HistoryEntry[] = [];

/** A logged value as a short text: a fact's sentence when it is one, else the value itself. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "statement" in value) {
    return String((value as { statement: unknown }).statement);
  }
  return JSON.stringify(value);
}

/** Every logged change of a fact, newest first: who made it, before and after, and Undo where it still applies. */
export function FactHistory({ factId }: { factId: string }) {
  const entries = useAppState((state) => state.factHistory[factId] ?? noEntries);
  const undo = useAppState((state) => state.undoFactChange);
  const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ol className="fact-history" aria-label="History">
      {newestFirst.length === 0 ? <li className="hint">No changes logged.</li> : null}
      {newestFirst.map((entry) => (
        <li key={entry.id} className="history-entry" data-testid="history-entry">
          <div className="memory-meta">
            <strong>{entry.action}</strong>
            <span>by {entry.actor === "user" ? "you" : entry.actor === "assistant" ? "Engram" : "the system"}</span>
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          </div>
          {entry.before !== null || entry.after !== null ? (
            <p className="history-change">
              <span className="history-before">{describeValue(entry.before)}</span>
              {" → "}
              <span className="history-after">{describeValue(entry.after)}</span>
            </p>
          ) : null}
          {entry.undoable ? (
            <button type="button" className="text-button" onClick={() => void undo(factId, entry.id)}>
              Undo
            </button>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
