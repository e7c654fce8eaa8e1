import type { Actor } from "../../api/index.ts";
import type { HistoryEntry } from "../../store/historyStore.ts";
import { newId } from "../../store/ids.ts";
import type { EntityRow, FactRow, MentionRow, RelationRow } from "../../store/schema.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

export type MemoryKind = "fact" | "entity" | "relation";

interface Logged {
  kind: MemoryKind;
  action: string;
  before: string | null;
  after: string;
}

/**
 * One change to the semantic memory (a fact added and the one it superseded, a merge, a batch of extracted
 * entities): applied to the in-memory index as it is made, collected here so it is written in one batch per table
 * with its history entries. Every entry of a change shares a change id, so undo reverts the change whole.
 */
export class ChangeSet {
  readonly changeId = newId("chg");
  readonly actor: Actor;
  readonly at: number;
  readonly facts = new Map<string, FactRow>();
  readonly entities = new Map<string, EntityRow>();
  readonly relations = new Map<string, RelationRow>();
  readonly mentions: MentionRow[] = [];
  readonly #logged = new Map<string, Logged>();
  readonly #index: SemanticIndex;

  constructor(index: SemanticIndex, actor: Actor, at: number) {
    this.#index = index;
    this.actor = actor;
    this.at = at;
  }

  /** Writes a fact; logged under `action` unless `log` is false. */
  putFact(row: FactRow, action: string, log = true): void {
    if (log) this.#log(row.id, "fact", action, this.#index.facts.get(row.id), row);
    this.#index.putFact(row);
    this.facts.set(row.id, row);
  }

  /** Writes an entity; statistics (when it was last seen) are written with `log` false. */
  putEntity(row: EntityRow, action: string, log = true): void {
    if (log) this.#log(row.id, "entity", action, this.#index.entities.get(row.id), row);
    this.#index.putEntity(row);
    this.entities.set(row.id, row);
  }

  /** Writes a relation; a co-occurrence count going up is written with `log` false. */
  putRelation(row: RelationRow, action: string, log = true): void {
    if (log) this.#log(row.id, "relation", action, this.#index.relations.get(row.id), row);
    this.#index.putRelation(row);
    this.relations.set(row.id, row);
  }

  addMentions(rows: MentionRow[]): void {
    this.#index.addMentions(rows);
    this.mentions.push(...rows);
  }

  get isEmpty(): boolean {
    return this.facts.size + this.entities.size + this.relations.size + this.mentions.length === 0;
  }

  /** The history entries of this change: one per memory it touched, from its first state to its last. */
  historyEntries(): HistoryEntry[] {
    return [...this.#logged].map(([memoryId, entry]) => ({
      memoryId,
      memoryKind: entry.kind,
      actor: this.actor,
      action: entry.action,
      before: entry.before,
      after: entry.after,
      at: this.at,
      changeId: this.changeId,
    }));
  }

  #log(id: string, kind: MemoryKind, action: string, before: object | undefined, after: object): void {
    const earlier = this.#logged.get(id);
    this.#logged.set(id, {
      kind,
      action: earlier?.action ?? action,
      before: earlier ? earlier.before : before ? JSON.stringify(before) : null,
      after: JSON.stringify(after),
    });
  }
}
