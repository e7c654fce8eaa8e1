import { useState, type FormEvent } from "react";
import type { Entity } from "../../../core/api/index.ts";
import { formatDate } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

/** One person, place, organisation, date or thing Engram found: its names, how often it came up, its facts. */
export function EntityRow({ entity }: { entity: Entity }) {
  const rename = useAppState((state) => state.renameEntityInBrowser);
  const showEntityFacts = useAppState((state) => state.showEntityFacts);
  const go = useAppState((state) => state.go);
  const focusEntity = useAppState((state) => state.focusEntity);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(entity.name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || name.trim() === entity.name || (await rename(entity.id, name.trim()))) setEditing(false);
  };

  return (
    <li className="memory-row entity-row" data-testid="entity-row" data-entity-id={entity.id}>
      <div className="memory-meta">
        <span className="badge muted">{entity.type}</span>
        <span>
          {entity.mentionCount.toLocaleString()} mention{entity.mentionCount === 1 ? "" : "s"} ·{" "}
          {entity.factCount.toLocaleString()} fact{entity.factCount === 1 ? "" : "s"}
        </span>
        {entity.firstSeen ? (
          <span>
            {formatDate(entity.firstSeen)}
            {entity.lastSeen && formatDate(entity.lastSeen) !== formatDate(entity.firstSeen)
              ? ` – ${formatDate(entity.lastSeen)}`
              : ""}
          </span>
        ) : null}
      </div>
      {editing ? (
        <form className="inline-form" onSubmit={(event) => void submit(event)}>
          <input
            type="text"
            aria-label="Entity name"
            value={name}
            maxLength={300}
            autoFocus
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                setEditing(false);
              }
            }}
          />
          <button type="submit" className="button primary">
            Save
          </button>
        </form>
      ) : (
        <p className="memory-text entity-name">
          <strong>{entity.name}</strong>
          {entity.aliases.length > 0 ? <span className="hint"> also {entity.aliases.join(", ")}</span> : null}
        </p>
      )}
      <div className="row-actions">
        <button type="button" className="text-button" onClick={() => showEntityFacts(entity)}>
          Facts
        </button>
        <button
          type="button"
          className="text-button"
          onClick={() => {
            go("graph");
            void focusEntity(entity.id);
          }}
        >
          Show in graph
        </button>
        {editing ? null : (
          <button
            type="button"
            className="text-button"
            onClick={() => {
              setName(entity.name);
              setEditing(true);
            }}
          >
            Rename
          </button>
        )}
      </div>
    </li>
  );
}
