import { z } from "zod";
import { Id, Timestamp } from "./entities.ts";
import {
  Entity,
  EntityType,
  Fact,
  FactStatus,
  GraphEdge,
  GraphNode,
  HistoryEntry,
  Relation,
} from "./semanticEntities.ts";

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** A name or a short phrase of a fact (subject, predicate, object): one line, never empty. */
const Phrase = z.string().trim().min(1).max(300);
const Statement = z.string().trim().min(1).max(2000);
const Limit = (max: number) => z.number().int().min(1).max(max).optional();
const Offset = z.number().int().min(0).optional();

/**
 * The semantic memory's methods (facts, entities, relations, the graph, history and undo), spread into `methods`.
 */
export const semanticMethods = {
  /** Adds a fact, consolidated exactly like an extracted one: a duplicate is merged, a contradiction supersedes. */
  "facts.create": method(
    z.object({
      subject: Phrase,
      predicate: Phrase,
      object: Phrase,
      statement: Statement,
      validFrom: Timestamp.optional(),
    }),
    Fact.extend({
      /** add: a new fact; supersede: it replaced the current one; noop: it was already known (that fact is returned). */
      outcome: z.enum(["add", "supersede", "noop"]),
    }),
  ),
  "facts.list": method(
    z.object({
      /** A name or alias of an entity the facts are about (as subject or object). */
      entity: z.string().trim().min(1).max(300).optional(),
      query: z.string().trim().min(1).max(2000).optional(),
      /** Absent: active and superseded facts (not deleted ones). */
      status: z.union([FactStatus, z.literal("all")]).optional(),
      limit: Limit(1000),
      offset: Offset,
    }),
    z.object({ facts: z.array(Fact), total: z.number().int() }),
  ),
  "facts.get": method(z.object({ id: Id }), Fact),
  "facts.update": method(
    z.object({ id: Id, statement: Statement.optional(), object: Phrase.optional(), pinned: z.boolean().optional() }),
    Fact,
  ),
  "facts.delete": method(z.object({ id: Id }), Fact),
  "facts.restore": method(z.object({ id: Id }), Fact),

  "entities.list": method(
    z.object({
      query: z.string().trim().min(1).max(300).optional(),
      type: EntityType.optional(),
      limit: Limit(1000),
      offset: Offset,
    }),
    z.object({ entities: z.array(Entity), total: z.number().int() }),
  ),
  "entities.get": method(z.object({ id: Id }), Entity),
  "entities.rename": method(z.object({ id: Id, name: Phrase }), Entity),
  /** Merges `sourceId` into `targetId`: its mentions, facts and links then count for the target. Reversible. */
  "entities.merge": method(z.object({ sourceId: Id, targetId: Id }), Entity),
  /** Undoes a merge: the entity `id` (once merged into another) stands on its own again. Returns it. */
  "entities.split": method(z.object({ id: Id }), Entity),

  "relations.create": method(z.object({ sourceId: Id, targetId: Id, label: Phrase }), Relation),
  "relations.delete": method(z.object({ id: Id }), z.object({ deleted: z.literal(true) })),

  "graph.get": method(
    z.object({
      /** An entity id: its neighbourhood to `depth` steps. Absent: the whole graph, most important nodes first. */
      around: Id.optional(),
      depth: z.number().int().min(1).max(4).optional(),
      /** The graph as it stood then: only facts valid at that time. */
      asOf: Timestamp.optional(),
      types: z.array(EntityType).min(1).optional(),
      limit: Limit(5000),
      offset: Offset,
      /** Also show facts that were superseded (ignored with asOf, which shows what was valid then). */
      includeSuperseded: z.boolean().optional(),
    }),
    z.object({ nodes: z.array(GraphNode), edges: z.array(GraphEdge), totalNodes: z.number().int() }),
  ),

  "memory.history": method(z.object({ targetId: Id }), z.object({ entries: z.array(HistoryEntry) })),
  /** Reverts one logged change; refused (conflict) when the memory changed since, so it no longer applies. */
  "memory.undo": method(z.object({ entryId: Id }), z.object({ entry: HistoryEntry })),
} as const;
