import { EngramError } from "../../errors.ts";
import type { EntityRow, FactRow, HistoryRow, RelationRow } from "../../store/schema.ts";
import type { ChangeSet } from "./changeSet.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

/** Kinds of memory whose changes memory.undo reverts. */
export const undoKinds = new Set(["fact", "entity", "relation"]);

/**
 * Fields that statistics and provenance move on their own (a turn mentioning an entity again, a duplicate adding
 * its source): they neither make an undo stale nor are they rolled back by one, so undo never loses provenance.
 */
const movingFields: Record<string, string[]> = {
  fact: ["updatedAt", "sources"],
  entity: ["updatedAt", "firstSeen", "lastSeen"],
  relation: ["updatedAt", "weight", "lastAt"],
};

/**
 * Reverts one history entry into `change` (or, with no change, only checks that it could). Throws a conflict when
 * the memory is no longer as the entry left it: the undo no longer applies, and nothing is changed.
 */
export function revert(index: SemanticIndex, change: ChangeSet | null, entry: HistoryRow): void {
  const kind = entry.memoryKind;
  if (entry.action === "source") {
    throw new EngramError("conflict", "Where a fact was learned is never removed; this entry cannot be undone.");
  }
  const current = currentRow(index, kind, entry.memoryId);
  const after = entry.after ? (JSON.parse(entry.after) as Record<string, unknown>) : null;
  if (!current || !after || !sameContent(kind, current, after)) {
    throw new EngramError(
      "conflict",
      `This change no longer applies: the ${kind} ${JSON.stringify(entry.memoryId)} changed since. Nothing was undone.`,
    );
  }
  const before = entry.before ? (JSON.parse(entry.before) as Record<string, unknown>) : null;
  if (!before && kind === "entity") {
    // An entity found in turns is not removed by undo (its mentions stay true); undoing its change leaves it.
    return;
  }
  if (!change) return;
  const base = before ?? { ...current, status: "deleted" };
  const restored = { ...base } as Record<string, unknown>;
  for (const field of movingFields[kind] ?? []) restored[field] = current[field];
  restored.updatedAt = change.at;
  if (kind === "fact") change.putFact(restored as unknown as FactRow, "undo");
  else if (kind === "entity") change.putEntity(restored as unknown as EntityRow, "undo");
  else change.putRelation(restored as unknown as RelationRow, "undo");
}

function currentRow(index: SemanticIndex, kind: string, id: string): Record<string, unknown> | undefined {
  const row =
    kind === "fact" ? index.facts.get(id) : kind === "entity" ? index.entities.get(id) : index.relations.get(id);
  return row as Record<string, unknown> | undefined;
}

function sameContent(kind: string, current: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const ignored = new Set(movingFields[kind] ?? []);
  const keys = new Set([...Object.keys(current), ...Object.keys(after)]);
  for (const key of keys) {
    if (ignored.has(key)) continue;
    if ((current[key] ?? null) !== (after[key] ?? null)) return false;
  }
  return true;
}
