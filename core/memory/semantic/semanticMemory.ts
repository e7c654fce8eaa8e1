import type { Actor, FactSource } from "../../api/index.ts";
import type { Embedder } from "../../model/interfaces.ts";
import { BadInputError, EngramError, NotFoundError } from "../../errors.ts";
import type { EntityStore } from "../../store/entityStore.ts";
import type { FactStore } from "../../store/factStore.ts";
import type { HistoryStore } from "../../store/historyStore.ts";
import { newId } from "../../store/ids.ts";
import type { MentionStore } from "../../store/mentionStore.ts";
import type { RelationStore } from "../../store/relationStore.ts";
import type { EntityRow, FactRow, HistoryRow, RelationRow } from "../../store/schema.ts";
import { ChangeSet } from "./changeSet.ts";
import { decide, type CandidateFact } from "./consolidation.ts";
import { dot, FactVectors } from "./factVectors.ts";
import { resolveEntity, type EntityType } from "./entityResolution.ts";
import { normaliseName } from "./names.ts";
import { SemanticIndex } from "./semanticIndex.ts";
import { isEmptyPlan, planForgetting, type ForgetScope } from "./turnForgetting.ts";
import { revert, undoKinds } from "./undo.ts";
import { WriteLock } from "./writeLock.ts";

export interface SemanticStores {
  facts: FactStore;
  entities: EntityStore;
  relations: RelationStore;
  mentions: MentionStore;
  history: HistoryStore;
}

/** A fact as it arrives from the user or from extraction, before its entities are resolved. */
export interface IncomingFact {
  subject: string;
  predicate: string;
  object: string;
  statement: string;
  validFrom?: number | null;
  confidence?: number;
  subjectType?: EntityType | null;
  /** The object's type; "value" when it names no entity ("34", "vegetarian"). */
  objectType?: EntityType | "value" | null;
  sources?: FactSource[];
  /** When the turn it came from was said (the fact holds from then unless it says otherwise). */
  learnedAt?: number;
}

export interface ConsolidationResult {
  fact: FactRow;
  outcome: "add" | "supersede" | "noop";
}

/**
 * The semantic memory's write side: facts, entities and relations with consolidation, resolution, history and undo.
 * Everything lives in an in-memory index (reads never wait for storage); every change runs under one write lock, is
 * applied to the index, then written to the tables and the history in one batch per table. A failed write reloads
 * the index from the tables, which stay the truth, and fails the call.
 */
export class SemanticMemory {
  readonly index = new SemanticIndex();
  /** Statement embeddings for the duplicate check and recall by meaning (when an embedder is present). */
  readonly vectors = new FactVectors();
  readonly #stores: SemanticStores;
  readonly #clock: () => number;
  readonly #lock = new WriteLock();
  /** Episodes forgotten this session (replaced replies): an extraction that read one before it went skips it. */
  readonly #forgotten = new Set<string>();

  private constructor(stores: SemanticStores, clock: () => number) {
    this.#stores = stores;
    this.#clock = clock;
  }

  static async open(stores: SemanticStores, clock: () => number): Promise<SemanticMemory> {
    const memory = new SemanticMemory(stores, clock);
    await memory.#reload();
    return memory;
  }

  /**
   * Consolidates facts in order, in one change (one write per table): each is added, supersedes the current fact
   * on its subject and predicate, or is found to be known already (its provenance is then added).
   */
  async consolidate(
    facts: IncomingFact[],
    actor: Actor,
    origin: FactRow["origin"],
    embedder: Embedder | null = null,
  ): Promise<ConsolidationResult[]> {
    for (const fact of facts) {
      for (const field of ["subject", "predicate", "object", "statement"] as const) {
        if (!fact[field]?.trim()) throw new BadInputError(`A fact needs a ${field}; it was empty.`);
      }
    }
    // Embedding is slow next to the rest, so it happens before the write lock: the new statements, and any stored
    // fact not embedded yet (after a start, all of them once).
    let incoming: Float32Array[] = [];
    if (embedder) {
      incoming = await embedder.embed(facts.map((fact) => fact.statement.trim()));
      await this.vectors.fill(embedder, [...this.index.facts.values()]);
    }
    return this.#change(actor, (change) =>
      facts.map((fact, i) => {
        const vector = incoming[i];
        const similarity =
          embedder && vector
            ? (row: FactRow) => {
                const stored = this.vectors.get(embedder, row);
                return stored ? dot(vector, stored) : null;
              }
            : () => null;
        const result = this.#consolidateOne(change, fact, origin, similarity);
        if (embedder && vector && result.outcome !== "noop") this.vectors.put(embedder, result.fact, vector);
        return result;
      }),
    );
  }

  /** A user's edit: the fact then outranks anything extraction later says on its subject and predicate. */
  updateFact(id: string, patch: { statement?: string; object?: string; pinned?: boolean }): Promise<FactRow> {
    return this.#change("user", (change) => {
      const row = this.#fact(id);
      if (row.status === "deleted")
        throw new EngramError("conflict", `Fact ${JSON.stringify(id)} is deleted; restore it first.`);
      const next: FactRow = { ...row, updatedAt: change.at };
      if (patch.pinned !== undefined) next.pinned = patch.pinned;
      if (patch.object !== undefined && patch.object !== row.object) {
        next.object = patch.object;
        next.objectId = resolveObject(this.index, change, patch.object, null, change.at);
        // A statement that named the old object is rewritten with the new one, unless the edit gives its own.
        if (patch.statement === undefined) next.statement = row.statement.split(row.object).join(patch.object);
      }
      if (patch.statement !== undefined) next.statement = patch.statement;
      if (patch.statement !== undefined || patch.object !== undefined) next.editedByUser = true;
      change.putFact(
        next,
        patch.object !== undefined || patch.statement !== undefined ? "edit" : patch.pinned ? "pin" : "unpin",
      );
      return next;
    });
  }

  /** Soft delete: the fact leaves recall and the graph, stays listed as deleted, and can be restored. */
  deleteFact(id: string): Promise<FactRow> {
    return this.#change("user", (change) => {
      const row = this.#fact(id);
      if (row.status === "deleted") return row;
      const next: FactRow = { ...row, status: "deleted", updatedAt: change.at };
      change.putFact(next, "delete");
      return next;
    });
  }

  restoreFact(id: string): Promise<FactRow> {
    return this.#change("user", (change) => {
      const row = this.#fact(id);
      if (row.status !== "deleted") return row;
      const next: FactRow = { ...row, status: row.supersededBy ? "superseded" : "active", updatedAt: change.at };
      change.putFact(next, "restore");
      return next;
    });
  }

  renameEntity(id: string, name: string): Promise<EntityRow> {
    return this.#change("user", (change) => {
      const row = this.#entity(id);
      if (row.mergedInto)
        throw new EngramError("conflict", `Entity ${JSON.stringify(id)} was merged into another; split it first.`);
      const others = this.index.entitiesNamed(name).filter((other) => other !== row.id);
      if (others.length > 0) {
        throw new EngramError(
          "conflict",
          `Another entity is already called ${JSON.stringify(name)}; merge the two instead.`,
        );
      }
      if (row.name === name) return row;
      // The old name stays an alias, so turns and facts that use it still find the entity.
      const aliases = [...new Set([...(JSON.parse(row.aliases) as string[]), row.name])].filter(
        (alias) => normaliseName(alias) !== normaliseName(name),
      );
      const next: EntityRow = {
        ...row,
        name,
        aliases: JSON.stringify(aliases),
        editedByUser: true,
        updatedAt: change.at,
      };
      change.putEntity(next, "rename");
      return next;
    });
  }

  /** Merges `sourceId` into `targetId` (only the source's row changes, so a split restores it exactly). */
  mergeEntities(sourceId: string, targetId: string, actor: Actor = "user"): Promise<EntityRow> {
    return this.#change(actor, (change) => {
      const source = this.#entity(sourceId);
      const target = this.#entity(targetId);
      if (source.mergedInto)
        throw new EngramError("conflict", `Entity ${JSON.stringify(sourceId)} is already merged into another.`);
      if (target.mergedInto)
        throw new EngramError(
          "conflict",
          `Entity ${JSON.stringify(targetId)} was merged into another; merge into that one.`,
        );
      if (source.id === target.id) throw new BadInputError("An entity cannot be merged into itself.");
      change.putEntity({ ...source, mergedInto: target.id, updatedAt: change.at }, "merge");
      return this.index.entities.get(target.id)!;
    });
  }

  /** Undoes a merge: the entity stands on its own again, with its own mentions, facts and links. */
  splitEntity(id: string): Promise<EntityRow> {
    return this.#change("user", (change) => {
      const row = this.#entity(id);
      if (!row.mergedInto)
        throw new EngramError("conflict", `Entity ${JSON.stringify(id)} is not merged into another.`);
      const next: EntityRow = { ...row, mergedInto: null, updatedAt: change.at };
      change.putEntity(next, "split");
      return next;
    });
  }

  createRelation(sourceId: string, targetId: string, label: string): Promise<RelationRow> {
    return this.#change("user", (change) => {
      const source = this.index.canonical(this.#entity(sourceId).id);
      const target = this.index.canonical(this.#entity(targetId).id);
      if (source === target) throw new BadInputError("A relation needs two different entities.");
      const row: RelationRow = {
        id: newId("rel"),
        sourceId: source,
        targetId: target,
        label,
        kind: "user",
        status: "active",
        weight: 1,
        firstAt: change.at,
        lastAt: change.at,
        createdAt: change.at,
        updatedAt: change.at,
      };
      change.putRelation(row, "create");
      return row;
    });
  }

  deleteRelation(id: string): Promise<RelationRow> {
    return this.#change("user", (change) => {
      const row = this.index.relations.get(id);
      if (!row || row.status === "deleted") throw new NotFoundError("Relation", id);
      const next: RelationRow = { ...row, status: "deleted", updatedAt: change.at };
      change.putRelation(next, "delete");
      return next;
    });
  }

  /**
   * Reverts the change a history entry belongs to (every memory it touched). Refused, changing nothing, when any
   * of those memories changed since (the undo no longer applies) or the entry is of a kind that cannot be undone.
   */
  async undo(entryId: string): Promise<HistoryRow> {
    const entry = await this.#stores.history.byId(entryId);
    if (!entry) throw new NotFoundError("History entry", entryId);
    if (!undoKinds.has(entry.memoryKind)) {
      throw new BadInputError(`A change to a ${entry.memoryKind} cannot be undone here.`);
    }
    const entries = entry.changeId ? await this.#stores.history.forChange(entry.changeId) : [entry];
    const changeId = await this.#change("user", (change) => {
      for (const item of [...entries].reverse()) revert(this.index, change, item);
      return change.changeId;
    });
    const written = await this.#stores.history.forChange(changeId);
    return written.find((row) => row.memoryId === entry.memoryId) ?? written[0] ?? entry;
  }

  /** Whether an entry can still be undone: its memory is as the entry left it. */
  undoable(entry: HistoryRow): boolean {
    if (!undoKinds.has(entry.memoryKind)) return false;
    try {
      revert(this.index, null, entry);
      return true;
    } catch {
      // A refused revert is exactly "not undoable"; nothing to report.
      return false;
    }
  }

  /** Runs a change under the write lock: applied to the index, then written; a failed write reloads the index. */
  #change<T>(actor: Actor, apply: (change: ChangeSet) => T): Promise<T> {
    return this.#lock.run(async () => {
      const change = new ChangeSet(this.index, actor, this.#clock());
      let result: T;
      try {
        result = apply(change);
      } catch (error) {
        // A refused change may have touched the index before it threw: the tables were not written, so reload.
        if (!change.isEmpty) await this.#reload();
        throw error;
      }
      if (change.isEmpty) return result;
      try {
        const s = this.#stores;
        await Promise.all([
          s.facts.upsert([...change.facts.values()]),
          s.entities.upsert([...change.entities.values()]),
          s.relations.upsert([...change.relations.values()]),
          s.mentions.append(change.mentions),
        ]);
        await s.history.record(change.historyEntries());
      } catch (error) {
        await this.#reload();
        throw error;
      }
      return result;
    });
  }

  /**
   * Forgets what was learned from turns being deleted (a conversation, a replaced reply): see planForgetting. Not a
   * change anyone can undo, so it is not logged, and the history of what it removes goes with it. Only the mentions of
   * those turns are read. The tables are written first, the mentions last (a failed write leaves them, so deleting
   * again finishes the job); the index then takes out what went.
   */
  forgetTurns(scope: ForgetScope): Promise<void> {
    for (const id of scope.episodeIds ?? []) this.#forgotten.add(id);
    return this.#lock.run(async () => {
      const s = this.#stores;
      const mentions = await s.mentions.ofTurns(scope);
      const index = this.index;
      const plan = planForgetting(
        {
          facts: [...index.facts.values()],
          entities: [...index.entities.values()],
          relations: [...index.relations.values()],
          mentions,
          stillMentioned: (id, goneEpisodes) => {
            for (const episode of index.mentionsOf(id)) if (!goneEpisodes.has(episode)) return true;
            return false;
          },
        },
        scope,
        this.#clock(),
      );
      if (isEmptyPlan(plan)) return;
      try {
        await s.facts.upsert(plan.changed.facts);
        await s.facts.deleteByIds(plan.removed.facts);
        await s.relations.upsert(plan.changed.relations);
        await s.relations.deleteByIds(plan.removed.relations);
        await s.entities.deleteByIds(plan.removed.entities);
        await s.history.deleteForMemories(plan.historyOf);
        await s.mentions.deleteByIds(plan.removed.mentions);
      } catch (error) {
        await this.#reload();
        throw error;
      }
      const removed = new Set(plan.removed.mentions);
      index.forget({ ...plan, mentions: mentions.filter((row) => removed.has(row.id)) });
      this.vectors.forget(plan.removed.facts);
    });
  }

  /** Whether an episode's learnings were forgotten this session (it was deleted; nothing may be learned from it). */
  isForgotten(episodeId: string): boolean {
    return this.#forgotten.has(episodeId);
  }

  /**
   * Rebuilds the index from the tables after something wrote to them directly (an import, its rollback), in turn
   * with the changes being made, so none of them is applied to an index about to be replaced.
   */
  reload(): Promise<void> {
    return this.#lock.run(() => this.#reload());
  }

  /** Lets a caller make several changes as one (extraction's entities and co-occurrences of a batch of turns). */
  changeBatch<T>(actor: Actor, apply: (change: ChangeSet) => T): Promise<T> {
    return this.#change(actor, apply);
  }

  async #reload(): Promise<void> {
    const s = this.#stores;
    const [facts, entities, relations, mentions] = await Promise.all([
      s.facts.allRows(),
      s.entities.allRows(),
      s.relations.allRows(),
      s.mentions.allRows(),
    ]);
    this.index.load({ facts, entities, relations, mentions });
  }

  #consolidateOne(
    change: ChangeSet,
    fact: IncomingFact,
    origin: FactRow["origin"],
    similarity: (row: FactRow) => number | null,
  ): ConsolidationResult {
    const learnedAt = fact.learnedAt ?? change.at;
    const subjectId = resolveEntity(this.index, change, fact.subject, fact.subjectType ?? null, learnedAt);
    const objectId =
      fact.objectType === "value"
        ? null
        : resolveObject(this.index, change, fact.object, fact.objectType ?? null, learnedAt);
    const candidate: CandidateFact = {
      subject: fact.subject.trim(),
      subjectId,
      predicate: fact.predicate.trim(),
      object: fact.object.trim(),
      objectId,
      statement: fact.statement.trim(),
      validFrom: fact.validFrom ?? null,
      confidence: fact.confidence ?? 1,
      origin,
    };
    const sources = fact.sources ?? [];
    const decision = decide(this.index, candidate, learnedAt, similarity);
    if (decision.kind === "noop") {
      const merged = mergeSources(decision.existing.sources, sources);
      if (merged === decision.existing.sources) return { fact: decision.existing, outcome: "noop" };
      const next = { ...decision.existing, sources: merged, updatedAt: change.at };
      change.putFact(next, "source");
      return { fact: next, outcome: "noop" };
    }
    const validFrom = candidate.validFrom ?? learnedAt;
    const row: FactRow = {
      id: newId("fact"),
      ...candidate,
      validFrom,
      validTo: null,
      status: "active",
      pinned: false,
      editedByUser: false,
      supersededBy: null,
      sources: JSON.stringify(sources),
      createdAt: change.at,
      updatedAt: change.at,
    };
    if (decision.kind === "outranked") {
      const kept: FactRow = {
        ...row,
        status: "superseded",
        supersededBy: decision.by.id,
        validTo: Math.max(validFrom, decision.by.validFrom ?? validFrom),
      };
      change.putFact(kept, "add");
      return { fact: kept, outcome: "add" };
    }
    change.putFact(row, "add");
    for (const old of decision.supersede) {
      change.putFact(
        { ...old, status: "superseded", validTo: validFrom, supersededBy: row.id, updatedAt: change.at },
        "supersede",
      );
    }
    return { fact: row, outcome: decision.supersede.length > 0 ? "supersede" : "add" };
  }

  #fact(id: string): FactRow {
    const row = this.index.facts.get(id);
    if (!row) throw new NotFoundError("Fact", id);
    return row;
  }

  #entity(id: string): EntityRow {
    const row = this.index.entities.get(id);
    if (!row) throw new NotFoundError("Entity", id);
    return row;
  }
}

/**
 * The entity a fact's object names, or null for a plain value. Without a type from the model, an object is an
 * entity when one already has that name or when it is written as a proper name ("Porto", not "vegetarian" or "34").
 */
function resolveObject(
  index: SemanticIndex,
  change: ChangeSet,
  object: string,
  type: EntityType | null,
  at: number,
): string | null {
  if (type) return resolveEntity(index, change, object, type, at);
  if (index.entitiesNamed(object).length > 0) return resolveEntity(index, change, object, null, at);
  if (/^\p{Lu}/u.test(object.trim()) && object.trim().split(/\s+/).length <= 5) {
    return resolveEntity(index, change, object, null, at);
  }
  return null;
}

/** The sources of a fact with new ones added (the same JSON text back when nothing is new). */
function mergeSources(existing: string, added: FactSource[]): string {
  if (added.length === 0) return existing;
  const sources = JSON.parse(existing) as FactSource[];
  const key = (source: FactSource) => `${source.episodeId ?? ""}|${source.messageId ?? ""}`;
  const seen = new Set(sources.map(key));
  const fresh = added.filter((source) => !seen.has(key(source)));
  if (fresh.length === 0) return existing;
  return JSON.stringify([...sources, ...fresh]);
}
