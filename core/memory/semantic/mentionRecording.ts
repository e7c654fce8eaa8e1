import { newId } from "../../store/ids.ts";
import type { MentionRow, RelationRow } from "../../store/schema.ts";
import type { ChangeSet } from "./changeSet.ts";
import type { FoundEntity } from "./entityExtraction.ts";
import { resolveEntity, userEntity } from "./entityResolution.ts";
import { normaliseName } from "./names.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

/** A turn with the entities extraction found in it. */
export interface TurnEntities {
  episodeId: string;
  conversationId: string;
  speaker: string;
  role: string;
  at: number;
  found: FoundEntity[];
}

/** The label of a co-occurrence link. */
export const cooccurrenceLabel = "mentioned with";

/**
 * Records what turns mention: each entity resolved (or created), a mention per turn and entity (the provenance),
 * the speaker as an entity too (the user as the user entity; the assistant is no one in the user's world), and a
 * co-occurrence link between every two entities of a turn, counted and dated. A turn already recorded is skipped,
 * so a job that runs again after a crash counts nothing twice.
 */
export function recordTurnEntities(
  index: SemanticIndex,
  change: ChangeSet,
  turns: TurnEntities[],
  similar: ReadonlyMap<string, string> = new Map(),
): number {
  let recorded = 0;
  for (const turn of turns) {
    if (index.entitiesOfEpisode(turn.episodeId).length > 0) continue;
    const ids = new Map<string, string>();
    const speakerId = speakerEntity(index, change, turn);
    if (speakerId) ids.set(speakerId, turn.speaker);
    for (const entity of turn.found) {
      const id =
        similarEntity(index, change, entity, similar) ??
        resolveEntity(index, change, entity.name, entity.type, turn.at);
      if (!ids.has(id)) ids.set(id, entity.surface);
    }
    if (ids.size === 0) continue;
    recorded += 1;
    const mentions: MentionRow[] = [...ids].map(([entityId, surface]) => ({
      id: newId("men"),
      entityId,
      episodeId: turn.episodeId,
      conversationId: turn.conversationId,
      surface,
      at: turn.at,
    }));
    change.addMentions(mentions);
    for (const id of ids.keys()) seen(index, change, id, turn.at);
    const members = [...ids.keys()];
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) cooccur(index, change, members[i]!, members[j]!, turn.at);
    }
  }
  return recorded;
}

/**
 * The known entity a new name was found close to by meaning (EntityNameMatcher), which then carries the name as an
 * alias (logged, so undo removes it); null when the name is known after all or matched nothing.
 */
function similarEntity(
  index: SemanticIndex,
  change: ChangeSet,
  entity: FoundEntity,
  similar: ReadonlyMap<string, string>,
): string | null {
  const match = similar.get(normaliseName(entity.name));
  if (!match || index.entitiesNamed(entity.name).length > 0 || !index.entities.has(match)) return null;
  const id = index.canonical(match);
  const row = index.entities.get(id)!;
  const aliases = JSON.parse(row.aliases) as string[];
  change.putEntity({ ...row, aliases: JSON.stringify([...aliases, entity.name]), updatedAt: change.at }, "alias");
  return id;
}

function speakerEntity(index: SemanticIndex, change: ChangeSet, turn: TurnEntities): string | null {
  if (turn.role === "assistant") return null;
  if (turn.role === "user") return userEntity(index, change);
  return resolveEntity(index, change, turn.speaker, "person", turn.at);
}

/** Widens when an entity was seen; statistics, so not logged as a change. */
function seen(index: SemanticIndex, change: ChangeSet, id: string, at: number): void {
  const row = index.entities.get(id)!;
  const firstSeen = row.firstSeen === null ? at : Math.min(row.firstSeen, at);
  const lastSeen = row.lastSeen === null ? at : Math.max(row.lastSeen, at);
  if (firstSeen === row.firstSeen && lastSeen === row.lastSeen) return;
  change.putEntity({ ...row, firstSeen, lastSeen }, "seen", false);
}

function cooccur(index: SemanticIndex, change: ChangeSet, a: string, b: string, at: number): void {
  const existing = index.cooccurrence(a, b);
  if (existing) {
    // A count going up is a statistic, not a change anyone would undo; a link the user deleted stays deleted.
    change.putRelation(
      {
        ...existing,
        weight: existing.weight + 1,
        firstAt: Math.min(existing.firstAt, at),
        lastAt: Math.max(existing.lastAt, at),
        updatedAt: change.at,
      },
      "count",
      false,
    );
    return;
  }
  const row: RelationRow = {
    id: newId("rel"),
    sourceId: a,
    targetId: b,
    label: cooccurrenceLabel,
    kind: "cooccurrence",
    status: "active",
    weight: 1,
    firstAt: at,
    lastAt: at,
    createdAt: change.at,
    updatedAt: change.at,
  };
  change.putRelation(row, "create");
}
