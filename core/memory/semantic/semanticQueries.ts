import type { EntityType, FactStatus } from "../../api/index.ts";
import type { EntityRow, FactRow } from "../../store/schema.ts";
import { normaliseName } from "./names.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

const statusOrder: Record<FactStatus, number> = { active: 0, superseded: 1, deleted: 2 };

/**
 * Facts for facts.list: about an entity (by any of its names), matching words, of a status (default: active and
 * superseded), current before superseded, newest first.
 */
export function listFacts(
  index: SemanticIndex,
  query: { entity?: string; query?: string; status?: FactStatus | "all" },
): FactRow[] {
  let rows: FactRow[];
  if (query.entity !== undefined) {
    const entities = index.entitiesNamed(query.entity);
    rows = [...new Map(entities.flatMap((id) => index.factsAbout(id)).map((row) => [row.id, row])).values()];
  } else {
    rows = [...index.facts.values()];
  }
  const status = query.status;
  rows = rows.filter((row) =>
    status === "all" ? true : status === undefined ? row.status !== "deleted" : row.status === status,
  );
  if (query.query !== undefined) {
    const words = normaliseName(query.query).split(" ").filter(Boolean);
    rows = rows.filter((row) => {
      const text = ` ${normaliseName(`${row.statement} ${row.subject} ${row.predicate} ${row.object}`)}`;
      return words.every((word) => text.includes(` ${word}`));
    });
  }
  return rows.sort(
    (a, b) =>
      statusOrder[a.status] - statusOrder[b.status] ||
      (b.validFrom ?? b.createdAt) - (a.validFrom ?? a.createdAt) ||
      b.updatedAt - a.updatedAt,
  );
}

/**
 * Entities for entities.list: canonical ones (a merged entity shows inside the one it was merged into) that
 * something still refers to, whose name or an alias contains the query, most present first.
 */
export function listEntities(index: SemanticIndex, query: { query?: string; type?: EntityType }): EntityRow[] {
  const needle = query.query === undefined ? null : normaliseName(query.query);
  const scored: { row: EntityRow; weight: number }[] = [];
  for (const row of index.entities.values()) {
    if (row.mergedInto) continue;
    if (query.type && row.type !== query.type) continue;
    if (needle !== null && !index.namesOf(row.id).some((name) => normaliseName(name).includes(needle))) continue;
    const facts = index.factsAbout(row.id).filter((fact) => fact.status !== "deleted").length;
    const weight =
      index.mentionCount(row.id) + 2 * facts + (index.graph.hasNode(row.id) ? index.graph.degree(row.id) : 0);
    // An entity nothing mentions or states any more (its fact was undone) is not shown.
    if (weight === 0 && !row.editedByUser) continue;
    scored.push({ row, weight });
  }
  return scored.sort((a, b) => b.weight - a.weight || a.row.name.localeCompare(b.row.name)).map((entry) => entry.row);
}
