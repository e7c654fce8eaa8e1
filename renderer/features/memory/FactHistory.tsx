import type { HistoryEntry } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

const noEntries: HistoryEntry[] = [];

/** The fields of a fact a person reads in a change, with their labels. */
const shownFields: [string, string][] = [
  ["statement", "Fact"],
  ["object", "Says"],
  ["status", "Status"],
  ["pinned", "Pinned"],
  ["validTo", "Held until"],
];

const asText = (value: unknown): string => {
  if (value === null || value === undefined) return "—";
  if (value === true) return "yes";
  if (value === false) return "no";
  if (typeof value === "number" && value > 1e11) return new Date(value).toLocaleDateString();
  return typeof value === "string" ? value : JSON.stringify(value);
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** What a logged change did, field by field: "Fact: A → B", "Pinned: no → yes"; a creation shows the new fact. */
export function describeChange(before: unknown, after: unknown): { label: string; before: string; after: string }[] {
  if (!isRecord(before) || !isRecord(after)) {
    const value = isRecord(after) ? after.statement : isRecord(before) ? before.statement : (after ?? before);
    return [
      {
        label: "Fact",
        before: isRecord(before) ? asText(value) : "—",
        after: isRecord(after) ? asText(value) : asText(after),
      },
    ];
  }
  return shownFields
    .filter(([field]) => asText(before[field]) !== asText(after[field]))
    .map(([field, label]) => ({ label, before: asText(before[field]), after: asText(after[field]) }));
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
          {describeChange(entry.before, entry.after).map((change) => (
            <p className="history-change" key={change.label}>
              {change.label}: <span className="history-before">{change.before}</span>
              {" → "}
              <span className="history-after">{change.after}</span>
            </p>
          ))}
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
