import { MultiDirectedGraph } from "graphology";
import type { EntityRow, FactRow, MentionRow, RelationRow } from "../../store/schema.ts";
import { GraphAdjacency } from "./graphAdjacency.ts";
import { normaliseName, predicateKey, statementKey } from "./names.ts";

export interface NodeAttributes {
  kind: "entity" | "value";
  label: string;
  type?: EntityRow["type"];
}

export interface EdgeAttributes {
  kind: "fact" | "cooccurrence" | "user";
  label: string;
  weight: number;
  status?: FactRow["status"];
  validFrom?: number | null;
  validTo?: number | null;
  firstAt?: number;
  lastAt?: number;
}

/** The graph node of a fact's object that names no entity (shared by facts with the same object). */
export const valueNodeId = (object: string) => `value:${normaliseName(object).slice(0, 150) || "empty"}`;

/**
 * Everything the semantic memory knows, in memory: the rows of facts, entities and relations, who mentions what,
 * the lookups consolidation and resolution need, and one graphology graph of it all (canonical entities and fact
 * values as nodes; facts, co-occurrences and the user's links as edges), kept up to date on every write.
 *
 * A merged entity keeps its row with `mergedInto`: lookups follow that link, so a merge rewrites no fact, relation
 * or mention, and a split only clears it.
 */
export class SemanticIndex {
  readonly facts = new Map<string, FactRow>();
  readonly entities = new Map<string, EntityRow>();
  readonly relations = new Map<string, RelationRow>();
  readonly graph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  /** Each node's edges as flat arrays, for the walks recall makes (kept up to date by the graph's events). */
  readonly adjacency = new GraphAdjacency(this.graph);
  /** Raw entity id -> episode ids that mention it. */
  readonly #mentions = new Map<string, Set<string>>();
  /** Episode id -> raw entity ids it mentions. */
  readonly #episodeEntities = new Map<string, Set<string>>();
  /** Normalised name or alias -> raw entity ids carrying it. */
  readonly #entityKeys = new Map<string, Set<string>>();
  /** Raw entity id -> ids of entities merged directly into it. */
  readonly #children = new Map<string, Set<string>>();
  /** Raw entity id -> fact ids naming it (as subject or object). */
  readonly #entityFacts = new Map<string, Set<string>>();
  /** Raw entity id -> relation ids touching it. */
  readonly #entityRelations = new Map<string, Set<string>>();
  /** Raw subject id + predicate key -> fact ids (the slot a contradiction is looked for in). */
  readonly #slots = new Map<string, Set<string>>();
  /** Normalised statement -> fact ids. */
  readonly #statements = new Map<string, Set<string>>();
  /** Co-occurrence relation by its unordered pair of raw entity ids. */
  readonly #pairs = new Map<string, string>();

  /** Replaces everything with the given rows (start, or after a failed write). */
  load(rows: { facts: FactRow[]; entities: EntityRow[]; relations: RelationRow[]; mentions: MentionRow[] }): void {
    for (const map of [
      this.facts,
      this.entities,
      this.relations,
      this.#mentions,
      this.#episodeEntities,
      this.#entityKeys,
      this.#children,
      this.#entityFacts,
      this.#entityRelations,
      this.#slots,
      this.#statements,
      this.#pairs,
    ]) {
      map.clear();
    }
    this.graph.clear();
    for (const row of rows.entities) this.#indexEntity(row);
    for (const row of rows.entities) if (!row.mergedInto) this.#ensureNode(row.id);
    this.addMentions(rows.mentions);
    for (const row of rows.facts) this.putFact(row);
    for (const row of rows.relations) this.putRelation(row);
  }

  // ---- entities ----

  /** The entity an id finally stands for, following merges. */
  canonical(id: string): string {
    let current = id;
    for (let step = 0; step < 64; step += 1) {
      const next = this.entities.get(current)?.mergedInto;
      if (!next) return current;
      current = next;
    }
    return current;
  }

  /** The entity and every entity merged into it, directly or through others. */
  family(id: string): string[] {
    const out = [id];
    for (let i = 0; i < out.length; i += 1) out.push(...(this.#children.get(out[i]!) ?? []));
    return out;
  }

  /** Canonical entities whose name or alias normalises to `name`. */
  entitiesNamed(name: string): string[] {
    const ids = this.#entityKeys.get(normaliseName(name));
    if (!ids) return [];
    return [...new Set([...ids].map((id) => this.canonical(id)))];
  }

  /** Every normalised name and alias an index knows, with its canonical entities (question matching reads it). */
  get entityKeys(): ReadonlyMap<string, Set<string>> {
    return this.#entityKeys;
  }

  /** Names and aliases of an entity and its merged family, its own name first. */
  namesOf(id: string): string[] {
    const names: string[] = [];
    for (const member of this.family(id)) {
      const row = this.entities.get(member);
      if (!row) continue;
      names.push(row.name, ...(JSON.parse(row.aliases) as string[]));
    }
    return [...new Set(names)];
  }

  putEntity(row: EntityRow): void {
    const previous = this.entities.get(row.id);
    if (
      previous &&
      previous.name === row.name &&
      previous.type === row.type &&
      previous.aliases === row.aliases &&
      previous.mergedInto === row.mergedInto
    ) {
      // Only statistics changed (when it was seen): no lookup, node or edge depends on them.
      this.entities.set(row.id, row);
      return;
    }
    const touched = previous ? this.#affectedByEntity(previous) : [];
    if (previous) this.#unindexEntity(previous);
    this.#indexEntity(row);
    this.#refreshEntities([...touched, ...this.#affectedByEntity(row)]);
  }

  mentionCount(id: string): number {
    let count = 0;
    for (const member of this.family(id)) count += this.#mentions.get(member)?.size ?? 0;
    return count;
  }

  /** Episodes that mention the entity or one merged into it. */
  episodesMentioning(id: string): Set<string> {
    const out = new Set<string>();
    for (const member of this.family(id)) for (const episode of this.#mentions.get(member) ?? []) out.add(episode);
    return out;
  }

  /** Canonical entities an episode mentions. */
  entitiesOfEpisode(episodeId: string): string[] {
    return [...new Set([...(this.#episodeEntities.get(episodeId) ?? [])].map((id) => this.canonical(id)))];
  }

  /** Episodes that mention at least one entity. */
  get mentioningEpisodes(): number {
    return this.#episodeEntities.size;
  }

  addMentions(rows: MentionRow[]): void {
    for (const row of rows) {
      let episodes = this.#mentions.get(row.entityId);
      if (!episodes) this.#mentions.set(row.entityId, (episodes = new Set()));
      episodes.add(row.episodeId);
      let entities = this.#episodeEntities.get(row.episodeId);
      if (!entities) this.#episodeEntities.set(row.episodeId, (entities = new Set()));
      entities.add(row.entityId);
    }
  }

  /** Episodes that mention this entity itself (not its merged family). */
  mentionsOf(entityId: string): ReadonlySet<string> {
    return this.#mentions.get(entityId) ?? new Set();
  }

  /**
   * Takes out what forgetting turns removed and puts in what it rewrote (turnForgetting.ts), leaving the index as a
   * load of the rows left would: a reload reads every row and rebuilds the graph, half a second at 100,000 turns.
   */
  forget(change: {
    mentions: readonly MentionRow[];
    removed: { facts: readonly string[]; relations: readonly string[]; entities: readonly string[] };
    changed: { facts: readonly FactRow[]; relations: readonly RelationRow[] };
  }): void {
    for (const row of change.mentions) {
      remove(this.#mentions, row.entityId, row.episodeId);
      remove(this.#episodeEntities, row.episodeId, row.entityId);
    }
    for (const id of change.removed.relations) {
      const row = this.relations.get(id);
      if (!row) continue;
      this.#unindexRelation(row);
      this.relations.delete(id);
      const pair = pairKey(row.sourceId, row.targetId);
      if (this.#pairs.get(pair) === id) this.#pairs.delete(pair);
    }
    for (const id of change.removed.facts) {
      const row = this.facts.get(id);
      if (!row) continue;
      this.#unindexFact(row);
      this.facts.delete(id);
    }
    for (const row of change.changed.facts) this.putFact(row);
    for (const row of change.changed.relations) this.putRelation(row);
    // Last: an entity goes only once nothing (mention, fact, link, merged entity) is left to it.
    for (const id of change.removed.entities) {
      const row = this.entities.get(id);
      if (!row) continue;
      this.#unindexEntity(row);
      this.entities.delete(id);
      if (this.graph.hasNode(id)) this.graph.dropNode(id);
    }
  }

  hasMention(entityId: string, episodeId: string): boolean {
    return this.#mentions.get(entityId)?.has(episodeId) ?? false;
  }

  // ---- facts ----

  putFact(row: FactRow): void {
    const previous = this.facts.get(row.id);
    if (previous) this.#unindexFact(previous);
    this.facts.set(row.id, row);
    add(this.#slots, slotKey(row.subjectId, row.predicate), row.id);
    add(this.#statements, statementKey(row.statement), row.id);
    add(this.#entityFacts, row.subjectId, row.id);
    if (row.objectId) add(this.#entityFacts, row.objectId, row.id);
    this.#addFactEdge(row);
  }

  /** Facts on the same subject (or an entity merged with it) and predicate. */
  factsInSlot(subjectId: string, predicate: string): FactRow[] {
    const key = predicateKey(predicate);
    const out: FactRow[] = [];
    for (const member of this.family(this.canonical(subjectId))) {
      for (const id of this.#slots.get(`${member}\u0000${key}`) ?? []) out.push(this.facts.get(id)!);
    }
    return out;
  }

  factsWithStatement(statement: string): FactRow[] {
    return [...(this.#statements.get(statementKey(statement)) ?? [])].map((id) => this.facts.get(id)!);
  }

  /** Facts naming the entity (or one merged into it) as subject or object. */
  factsAbout(id: string): FactRow[] {
    const out = new Set<string>();
    for (const member of this.family(this.canonical(id)))
      for (const fact of this.#entityFacts.get(member) ?? []) out.add(fact);
    return [...out].map((fact) => this.facts.get(fact)!);
  }

  // ---- relations ----

  putRelation(row: RelationRow): void {
    const previous = this.relations.get(row.id);
    if (previous) this.#unindexRelation(previous);
    this.relations.set(row.id, row);
    add(this.#entityRelations, row.sourceId, row.id);
    add(this.#entityRelations, row.targetId, row.id);
    if (row.kind === "cooccurrence") this.#pairs.set(pairKey(row.sourceId, row.targetId), row.id);
    this.#addRelationEdge(row);
  }

  /** The co-occurrence relation of two raw entity ids, if they were seen together. */
  cooccurrence(a: string, b: string): RelationRow | undefined {
    const id = this.#pairs.get(pairKey(a, b));
    return id ? this.relations.get(id) : undefined;
  }

  // ---- internals ----

  #indexEntity(row: EntityRow): void {
    this.entities.set(row.id, row);
    for (const name of [row.name, ...(JSON.parse(row.aliases) as string[])])
      add(this.#entityKeys, normaliseName(name), row.id);
    if (row.mergedInto) add(this.#children, row.mergedInto, row.id);
  }

  #unindexEntity(row: EntityRow): void {
    for (const name of [row.name, ...(JSON.parse(row.aliases) as string[])])
      remove(this.#entityKeys, normaliseName(name), row.id);
    if (row.mergedInto) remove(this.#children, row.mergedInto, row.id);
  }

  /** Entities whose graph node or edges depend on this row: its family and what it was merged into. */
  #affectedByEntity(row: EntityRow): string[] {
    return [...this.family(row.id), ...(row.mergedInto ? [this.canonical(row.mergedInto)] : [])];
  }

  /** Re-derives graph nodes and edges of entities whose canonical id or label may have changed. */
  #refreshEntities(ids: string[]): void {
    const facts = new Set<string>();
    const relations = new Set<string>();
    for (const id of new Set(ids)) {
      for (const fact of this.#entityFacts.get(id) ?? []) facts.add(fact);
      for (const relation of this.#entityRelations.get(id) ?? []) relations.add(relation);
    }
    for (const id of facts) if (this.graph.hasEdge(id)) this.graph.dropEdge(id);
    for (const id of relations) if (this.graph.hasEdge(id)) this.graph.dropEdge(id);
    for (const id of new Set(ids)) {
      const row = this.entities.get(id);
      if (row && !row.mergedInto) this.#ensureNode(id);
      else if (this.graph.hasNode(id)) this.graph.dropNode(id);
    }
    for (const id of facts) this.#addFactEdge(this.facts.get(id)!);
    for (const id of relations) this.#addRelationEdge(this.relations.get(id)!);
  }

  #ensureNode(id: string): void {
    const row = this.entities.get(id)!;
    const attributes: NodeAttributes = { kind: "entity", label: row.name, type: row.type };
    if (this.graph.hasNode(id)) this.graph.replaceNodeAttributes(id, attributes);
    else this.graph.addNode(id, attributes);
  }

  #addFactEdge(row: FactRow): void {
    if (row.status === "deleted") return;
    const source = this.canonical(row.subjectId);
    if (!this.entities.has(source)) return;
    this.#ensureNode(source);
    let target: string;
    if (row.objectId && this.entities.has(this.canonical(row.objectId))) {
      target = this.canonical(row.objectId);
      this.#ensureNode(target);
    } else {
      target = valueNodeId(row.object);
      if (!this.graph.hasNode(target)) this.graph.addNode(target, { kind: "value", label: row.object });
    }
    this.graph.addEdgeWithKey(row.id, source, target, {
      kind: "fact",
      label: row.predicate,
      weight: row.confidence,
      status: row.status,
      validFrom: row.validFrom,
      validTo: row.validTo,
    });
  }

  #addRelationEdge(row: RelationRow): void {
    if (row.status === "deleted") return;
    const source = this.canonical(row.sourceId);
    const target = this.canonical(row.targetId);
    // A merge can make both ends one entity: the link then says nothing and is left out of the graph.
    if (source === target || !this.entities.has(source) || !this.entities.has(target)) return;
    this.#ensureNode(source);
    this.#ensureNode(target);
    this.graph.addEdgeWithKey(row.id, source, target, {
      kind: row.kind,
      label: row.label,
      weight: row.weight,
      firstAt: row.firstAt,
      lastAt: row.lastAt,
    });
  }

  #unindexFact(row: FactRow): void {
    remove(this.#slots, slotKey(row.subjectId, row.predicate), row.id);
    remove(this.#statements, statementKey(row.statement), row.id);
    remove(this.#entityFacts, row.subjectId, row.id);
    if (row.objectId) remove(this.#entityFacts, row.objectId, row.id);
    this.#dropEdge(row.id);
  }

  #unindexRelation(row: RelationRow): void {
    remove(this.#entityRelations, row.sourceId, row.id);
    remove(this.#entityRelations, row.targetId, row.id);
    this.#dropEdge(row.id);
  }

  #dropEdge(id: string): void {
    if (!this.graph.hasEdge(id)) return;
    const target = this.graph.target(id);
    this.graph.dropEdge(id);
    // A value node exists only for the facts that end in it.
    if (this.graph.getNodeAttribute(target, "kind") === "value" && this.graph.degree(target) === 0) {
      this.graph.dropNode(target);
    }
  }
}

const slotKey = (subjectId: string, predicate: string) => `${subjectId}\u0000${predicateKey(predicate)}`;
const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function remove(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
