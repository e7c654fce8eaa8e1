import { useState, type FormEvent } from "react";
import type { Fact } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";

/** Inline correction of a fact: its sentence and what it says of the subject. Enter saves, Escape cancels. */
export function FactEditor({ fact, onDone }: { fact: Fact; onDone(): void }) {
  const editFact = useAppState((state) => state.editFact);
  const error = useAppState((state) => state.factError);
  const [statement, setStatement] = useState(fact.statement);
  const [object, setObject] = useState(fact.object);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = {
      ...(statement.trim() !== fact.statement ? { statement: statement.trim() } : {}),
      ...(object.trim() !== fact.object ? { object: object.trim() } : {}),
    };
    if (Object.keys(changes).length === 0) return onDone();
    setSaving(true);
    const saved = await editFact(fact.id, changes);
    setSaving(false);
    if (saved) onDone();
  };

  return (
    <form
      className="fact-editor"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onDone();
        }
      }}
    >
      <label className="field">
        <span>Fact</span>
        <input
          type="text"
          aria-label="Fact sentence"
          value={statement}
          maxLength={2000}
          autoFocus
          onChange={(event) => setStatement(event.target.value)}
        />
      </label>
      <label className="field">
        <span>
          {fact.subject} · {fact.predicate}
        </span>
        <input
          type="text"
          aria-label="What the fact says"
          value={object}
          maxLength={300}
          onChange={(event) => setObject(event.target.value)}
        />
      </label>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving || !statement.trim() || !object.trim()}>
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button subtle" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
