import { useEffect, useMemo } from "react";
import type { FactStatus } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import { FactRow } from "./FactRow.tsx";
import { factInRange, factPageSize } from "./factsSlice.ts";
import { Pager } from "../../shell/Pager.tsx";

const statuses: { value: FactStatus | "all" | ""; label: string }[] = [
  { value: "", label: "Current and superseded" },
  { value: "active", label: "Current" },
  { value: "superseded", label: "Superseded" },
  { value: "deleted", label: "Deleted" },
  { value: "all", label: "All" },
];

/** What Engram knows as facts, filtered by entity, status and the time they held. */
export function FactsTab() {
  const filter = useAppState((state) => state.factFilter);
  const page = useAppState((state) => state.factPage);
  const error = useAppState((state) => state.factError);
  const setFilter = useAppState((state) => state.setFactFilter);
  const loadFacts = useAppState((state) => state.loadFacts);

  useEffect(() => {
    void loadFacts();
  }, [loadFacts]);

  const shown = useMemo(
    () => page?.facts.filter((fact) => factInRange(fact, filter.from, filter.to)) ?? [],
    [page, filter.from, filter.to],
  );

  return (
    <div className="facts-tab">
      <div className="filter-bar">
        <label className="inline-field">
          <span>About</span>
          <input
            type="search"
            placeholder="Anyone or anything"
            value={filter.entity}
            onChange={(event) => setFilter({ entity: event.target.value })}
          />
        </label>
        <label className="inline-field">
          <span>Status</span>
          <select
            value={filter.status}
            onChange={(event) => setFilter({ status: event.target.value as FactStatus | "all" | "" })}
          >
            {statuses.map((status) => (
              <option key={status.value} value={status.value}>
                {status.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Held from</span>
          <input type="date" value={filter.from} onChange={(event) => setFilter({ from: event.target.value })} />
        </label>
        <label className="inline-field">
          <span>to</span>
          <input type="date" value={filter.to} onChange={(event) => setFilter({ to: event.target.value })} />
        </label>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {!page ? (
        <p className="hint">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="hint">
          {page.total === 0 && !filter.entity && !filter.status
            ? "No facts yet. Engram learns them from your conversations in the background (with a chat model)."
            : "No fact matches these filters."}
        </p>
      ) : (
        <>
          <p className="hint">
            {page.total.toLocaleString()} fact{page.total === 1 ? "" : "s"}
            {shown.length < page.facts.length ? `, ${shown.length} in these dates` : ""}.
          </p>
          <ul className="memory-list" aria-label="Facts">
            {shown.map((fact) => (
              <FactRow key={fact.id} fact={fact} />
            ))}
          </ul>
          <Pager
            offset={page.offset}
            pageSize={factPageSize}
            total={page.total}
            onPage={(offset) => void loadFacts(offset)}
          />
        </>
      )}
    </div>
  );
}
