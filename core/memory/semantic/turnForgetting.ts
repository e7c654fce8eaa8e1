import type { FactSource } from "../../api/index.ts";
import type { EntityRow, FactRow, MentionRow, RelationRow } from "../../store/schema.ts";

/** Turns that are going: a whole conversation, or some turns by episode or message id (a replaced reply). */
export interface ForgetScope {
  conversationId?: string;
  episodeIds?: readonly string[];
  messageIds?: readonly string[];
}

/**
 * What forgetting reads: every fact, entity and relation (the index holds them), the mentions of the turns that go
 * (read by scope: all the mentions of a long history are millions of rows), and whether an entity keeps a mention of
 * some other turn.
 */
export interface ForgetInput {
  facts: FactRow[];
  entities: EntityRow[];
  relations: RelationRow[];
  mentions: MentionRow[];
  stillMentioned: (entityId: string, goneEpisodes: ReadonlySet<string>) => boolean;
}

/** What forgetting a scope does to the semantic tables (the index applies the same: SemanticIndex.forget). */
export interface ForgetPlan {
  /** Ids of rows deleted for good, per table. */
  removed: { facts: string[]; entities: string[]; relations: string[]; mentions: string[] };
  /** Rows rewritten (fewer sources, a lower count, a fact that stands again). */
  changed: { facts: FactRow[]; relations: RelationRow[] };
  /**
   * Memories whose history goes: every removed one, and facts left only as the user's own words (undoing the user's
   * edit of one would bring back the wording learned from the deleted turns).
   */
  historyOf: string[];
}

/**
 * Works out how to forget what the semantic memory learned from turns that are being deleted, so nothing learned only
 * from them stays findable: their mentions go; a fact loses the sources in them and goes with the last one, unless
 * the user made, edited or pinned it (it then stays as the user's own words, with no source); facts a removed fact had
 * superseded take its place; co-occurrence links lose the count those turns gave them and go at zero; and an entity
 * those turns touched goes when no mention, fact or link is left to it and the user never edited it. Pure: the
 * caller writes the plan.
 */
export function planForgetting(rows: ForgetInput, scope: ForgetScope, at: number): ForgetPlan {
  const episodes = new Set(scope.episodeIds ?? []);
  const messages = new Set(scope.messageIds ?? []);
  const mentionGoes = (row: MentionRow) =>
    (scope.conversationId !== undefined && row.conversationId === scope.conversationId) || episodes.has(row.episodeId);
  const sourceGoes = (source: FactSource) =>
    (scope.conversationId !== undefined && source.conversationId === scope.conversationId) ||
    (source.episodeId !== undefined && episodes.has(source.episodeId)) ||
    (source.messageId !== undefined && messages.has(source.messageId));

  const goneMentions = rows.mentions.filter(mentionGoes);
  const touched = new Set(goneMentions.map((row) => row.entityId));
  const goneEpisodes = new Map<string, Set<string>>();
  for (const row of goneMentions) {
    const episodes = goneEpisodes.get(row.entityId) ?? new Set<string>();
    goneEpisodes.set(row.entityId, episodes.add(row.episodeId));
  }

  const facts = new Map(rows.facts.map((row) => [row.id, row]));
  const changedFacts = new Set<string>();
  const removedFacts = new Set<string>();
  const historyOf: string[] = [];
  for (const row of rows.facts) {
    const sources = JSON.parse(row.sources) as FactSource[];
    const kept = sources.filter((source) => !sourceGoes(source));
    if (kept.length === sources.length) continue;
    if (kept.length === 0 && !ownedByUser(row)) {
      removedFacts.add(row.id);
      facts.delete(row.id);
      touched.add(row.subjectId);
      if (row.objectId) touched.add(row.objectId);
      continue;
    }
    if (kept.length === 0) historyOf.push(row.id);
    facts.set(row.id, { ...row, sources: JSON.stringify(kept), updatedAt: at });
    changedFacts.add(row.id);
  }
  const original = new Map(rows.facts.map((row) => [row.id, row]));
  for (const row of facts.values()) {
    if (!row.supersededBy || !removedFacts.has(row.supersededBy)) continue;
    facts.set(row.id, standsAgain(row, original, removedFacts, at));
    changedFacts.add(row.id);
  }

  const relations = new Map(rows.relations.map((row) => [row.id, row]));
  const changedRelations = new Set<string>();
  const removedRelations = new Set<string>();
  const pairs = new Map(
    rows.relations
      .filter((row) => row.kind === "cooccurrence")
      .map((row) => [pairKey(row.sourceId, row.targetId), row]),
  );
  for (const [key, count] of pairCounts(goneMentions)) {
    const relation = pairs.get(key);
    if (!relation) continue;
    if (relation.weight - count > 0) {
      relations.set(relation.id, { ...relation, weight: relation.weight - count, updatedAt: at });
      changedRelations.add(relation.id);
    } else {
      relations.delete(relation.id);
      removedRelations.add(relation.id);
      touched.add(relation.sourceId).add(relation.targetId);
    }
  }

  const entities = new Map(rows.entities.map((row) => [row.id, row]));
  const removedEntities = new Set<string>();
  const mentioned = (id: string) => rows.stillMentioned(id, goneEpisodes.get(id) ?? new Set());
  const named = new Set(
    [...facts.values()].flatMap((row) => (row.objectId ? [row.subjectId, row.objectId] : [row.subjectId])),
  );
  const linked = () =>
    new Set(
      [...relations.values()].filter((row) => row.status === "active").flatMap((row) => [row.sourceId, row.targetId]),
    );
  // Removing an entity merged into another can leave that one with nothing: go round until nothing more goes.
  for (let again = true; again;) {
    again = false;
    const links = linked();
    const parents = new Set([...entities.values()].flatMap((row) => (row.mergedInto ? [row.mergedInto] : [])));
    for (const id of touched) {
      const row = entities.get(id);
      if (!row || row.editedByUser || mentioned(id) || named.has(id) || links.has(id) || parents.has(id)) continue;
      entities.delete(id);
      removedEntities.add(id);
      if (row.mergedInto) touched.add(row.mergedInto);
      again = true;
    }
  }
  // Links the user deleted stay as rows (so they stay deleted); once an end of one is gone, so is it.
  for (const row of [...relations.values()]) {
    if (removedEntities.has(row.sourceId) || removedEntities.has(row.targetId)) {
      relations.delete(row.id);
      changedRelations.delete(row.id);
      removedRelations.add(row.id);
    }
  }

  historyOf.push(...removedFacts, ...removedEntities, ...removedRelations);
  return {
    removed: {
      facts: [...removedFacts],
      entities: [...removedEntities],
      relations: [...removedRelations],
      mentions: goneMentions.map((row) => row.id),
    },
    changed: {
      facts: [...changedFacts].map((id) => facts.get(id)!),
      relations: [...changedRelations].map((id) => relations.get(id)!),
    },
    historyOf,
  };
}

/** Whether a plan changes nothing. */
export function isEmptyPlan(plan: ForgetPlan): boolean {
  const { removed, changed } = plan;
  return (
    removed.facts.length + removed.entities.length + removed.relations.length + removed.mentions.length === 0 &&
    changed.facts.length + changed.relations.length === 0
  );
}

/** A fact the user made, edited or pinned: the user's own words, kept when the turns it came from go. */
function ownedByUser(row: FactRow): boolean {
  return row.origin === "user" || row.editedByUser || row.pinned;
}

/**
 * A fact whose superseder is being removed: superseded by whatever superseded that one in turn, or current again
 * (the later fact was learned only from turns the user deleted).
 */
function standsAgain(row: FactRow, byId: Map<string, FactRow>, removed: Set<string>, at: number): FactRow {
  let next: string | null = row.supersededBy;
  for (let step = 0; next && removed.has(next) && step < 64; step += 1) next = byId.get(next)?.supersededBy ?? null;
  if (next && !removed.has(next)) return { ...row, supersededBy: next, updatedAt: at };
  return {
    ...row,
    supersededBy: null,
    validTo: null,
    status: row.status === "superseded" ? "active" : row.status,
    updatedAt: at,
  };
}

/** How many of the gone turns put each two entities together (what their co-occurrence link counted). */
function pairCounts(gone: MentionRow[]): Map<string, number> {
  const byEpisode = new Map<string, Set<string>>();
  for (const row of gone) {
    let ids = byEpisode.get(row.episodeId);
    if (!ids) byEpisode.set(row.episodeId, (ids = new Set()));
    ids.add(row.entityId);
  }
  const counts = new Map<string, number>();
  for (const ids of byEpisode.values()) {
    const members = [...ids];
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        const key = pairKey(members[i]!, members[j]!);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
