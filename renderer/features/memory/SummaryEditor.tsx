import { useEffect, useState, type FormEvent } from "react";
import type { Summary } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

/** A summary the user may correct: shown as text, edited in place, saved as the user's version. */
export function SummaryEditor({
  label,
  summary,
  conversationId,
  emptyText,
}: {
  label: string;
  summary: Summary | null;
  conversationId: string | null;
  emptyText: string;
}) {
  const saveSummary = useAppState((state) => state.saveSummary);
  const error = useAppState((state) => state.summaryError);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(summary?.text ?? "");

  useEffect(() => {
    if (!editing) setText(summary?.text ?? "");
  }, [summary, editing]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() && (await saveSummary(conversationId, text.trim()))) setEditing(false);
  };

  return (
    <section className="summary-card" aria-label={label}>
      <header className="panel-header">
        <h3>{label}</h3>
        {summary ? (
          <span className="hint">
            {summary.editedByUser ? "Edited by you" : `From ${summary.turnCount.toLocaleString()} turns`} ·{" "}
            {formatDateTime(summary.updatedAt)}
          </span>
        ) : null}
      </header>
      {editing ? (
        <form className="stacked-form" onSubmit={(event) => void submit(event)}>
          <textarea
            aria-label={`${label} text`}
            rows={4}
            maxLength={4000}
            value={text}
            autoFocus
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                setEditing(false);
              }
            }}
          />
          {error ? (
            <p className="error-text" role="alert">
              {error}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={!text.trim()}>
              Save
            </button>
            <button type="button" className="button subtle" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className={summary?.text ? "memory-text" : "hint"}>{summary?.text || emptyText}</p>
          <button type="button" className="text-button" onClick={() => setEditing(true)}>
            {summary?.text ? "Edit" : "Write it"}
          </button>
        </>
      )}
    </section>
  );
}
