import type { Entity, Fact, FactSource, HistoryEntry, Relation } from "../../api/index.ts";
import type { EntityRow, FactRow, HistoryRow, RelationRow } from "../../store/schema.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

/** Rows as the contract shows them: ISO dates, parsed lists, counts across merged entities. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toFact(row: FactRow): Fact {
  return {
    id: row.id,
    statement: row.statement,
    subject: row.subject,
    predicate: row.predicate,
    object: row.object,
    status: row.status,
    validFrom: iso(row.validFrom),
    validTo: iso(row.validTo),
    pinned: row.pinned,
    sources: JSON.parse(row.sources) as FactSource[],
    subjectId: row.subjectId,
    objectId: row.objectId,
    confidence: Math.min(1, Math.max(0, row.confidence)),
    origin: row.origin,
    editedByUser: row.editedByUser,
    supersededBy: row.supersededBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export function toEntity(index: SemanticIndex, row: EntityRow): Entity {
  const family = index.family(row.id);
  let firstSeen: number | null = null;
  let lastSeen: number | null = null;
  for (const member of family) {
    const memberRow = index.entities.get(member);
    if (!memberRow) continue;
    if (memberRow.firstSeen !== null) firstSeen = Math.min(firstSeen ?? Infinity, memberRow.firstSeen);
    if (memberRow.lastSeen !== null) lastSeen = Math.max(lastSeen ?? -Infinity, memberRow.lastSeen);
  }
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    aliases: index.namesOf(row.id).filter((name) => name !== row.name),
    mentionCount: index.mentionCount(row.id),
    factCount: index.factsAbout(row.id).filter((fact) => fact.status === "active").length,
    firstSeen: iso(firstSeen),
    lastSeen: iso(lastSeen),
    mergedIds: family.slice(1),
  };
}

export function toRelation(row: RelationRow): Relation {
  return {
    id: row.id,
    sourceId: row.sourceId,
    targetId: row.targetId,
    label: row.label,
    kind: row.kind,
    weight: row.weight,
    lastAt: new Date(row.lastAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export function toHistoryEntry(row: HistoryRow, undoable: boolean): HistoryEntry {
  return {
    id: row.id,
    targetId: row.memoryId,
    targetKind: row.memoryKind,
    actor: row.actor,
    action: row.action,
    before: parseSnapshot(row.before),
    after: parseSnapshot(row.after),
    at: new Date(row.at).toISOString(),
    undoable,
  };
}

/** Snapshots are JSON rows; older entries (episode pins) hold plain text, shown as it is. */
function parseSnapshot(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: an entry written before snapshots were rows.
    return text;
  }
}
