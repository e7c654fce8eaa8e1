import { useEffect } from "react";
import type { EntityType } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import { EntityRow } from "./EntityRow.tsx";
import { entityPageSize } from "./entitiesSlice.ts";
import { Pager } from "../../shell/Pager.tsx";

const types: { value: EntityType | ""; label: string }[] = [
  { value: "", label: "Everything" },
  { value: "person", label: "People" },
  { value: "place", label: "Places" },
  { value: "organisation", label: "Organisations" },
  { value: "date", label: "Dates" },
  { value: "thing", label: "Things" },
];

/** The people, places and things found in the conversations, most mentioned first. */
export function EntitiesTab() {
  const type = useAppState((state) => state.entityType);
  const page = useAppState((state) => state.entityPage);
  const error = useAppState((state) => state.entityError);
  const setType = useAppState((state) => state.setEntityType);
  const loadEntities = useAppState((state) => state.loadEntities);

  useEffect(() => {
    void loadEntities();
  }, [loadEntities]);

  return (
    <div className="entities-tab">
      <div className="filter-bar">
        <label className="inline-field">
          <span>Kind</span>
          <select value={type} onChange={(event) => setType(event.target.value as EntityType | "")}>
            {types.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {!page ? (
        <p className="hint">Loading…</p>
      ) : page.entities.length === 0 ? (
        <p className="hint">Nothing found yet: names of people, places and things appear as you talk about them.</p>
      ) : (
        <>
          <p className="hint">{page.total.toLocaleString()} found.</p>
          <ul className="memory-list" aria-label="Entities">
            {page.entities.map((entity) => (
              <EntityRow key={entity.id} entity={entity} />
            ))}
          </ul>
          <Pager
            offset={page.offset}
            pageSize={entityPageSize}
            total={page.total}
            onPage={(offset) => void loadEntities(offset)}
          />
        </>
      )}
    </div>
  );
}
