import { z } from "zod";
import { Id, Timestamp } from "./entities.ts";

/** Shapes of the semantic memory: entities, facts, relations, the graph made of them, and the change history. */

/** What an entity is. `date` entities are named by their day (YYYY-MM-DD), with what the turn said as an alias. */
export const EntityType = z.enum(["person", "place", "organisation", "date", "thing"]);
export type EntityType = z.infer<typeof EntityType>;

/** active: current; superseded: replaced by a newer fact on the same subject and predicate; deleted: soft-deleted. */
export const FactStatus = z.enum(["active", "superseded", "deleted"]);
export type FactStatus = z.infer<typeof FactStatus>;

/**
 * Who made a memory or a change: the user (an edit, a fact they typed) or the assistant (extraction), or an outside
 * AI tool through Engram's MCP server, as `mcp:<its name>`.
 */
export const Actor = z.union([z.enum(["user", "assistant", "system"]), z.templateLiteral(["mcp:", z.string().min(1)])]);
export type Actor = z.infer<typeof Actor>;

/** Where a fact was learned: the turn (episode) and message it came from. */
export const FactSource = z.object({
  episodeId: Id.optional(),
  messageId: Id.optional(),
  conversationId: Id.optional(),
});
export type FactSource = z.infer<typeof FactSource>;

export const Fact = z.object({
  id: Id,
  /** One sentence saying the fact ("Ana lives in Porto."). */
  statement: z.string(),
  subject: z.string(),
  predicate: z.string(),
  object: z.string(),
  status: FactStatus,
  /** From when the fact holds (what the turn said, else when it was learned); null when unknown. */
  validFrom: Timestamp.nullable(),
  /** Until when it held: set when a newer fact superseded it. */
  validTo: Timestamp.nullable(),
  pinned: z.boolean(),
  sources: z.array(FactSource),
  /** The entity the subject names. */
  subjectId: Id,
  /** The entity the object names, when it names one (a plain value such as "34" does not). */
  objectId: Id.nullable(),
  confidence: z.number().min(0).max(1),
  /** user: typed by the user (facts.create); extracted: read from a turn by the model. */
  origin: z.enum(["user", "extracted"]),
  /** True once the user edited it: later extraction never overwrites it. */
  editedByUser: z.boolean(),
  /** The fact that replaced this one, when superseded. */
  supersededBy: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Fact = z.infer<typeof Fact>;

export const Entity = z.object({
  id: Id,
  name: z.string(),
  type: EntityType,
  /** Other names it goes by (its own and those of entities merged into it). */
  aliases: z.array(z.string()),
  /** Turns that mention it. */
  mentionCount: z.number().int(),
  /** Current (active) facts about it, as subject or object. */
  factCount: z.number().int(),
  firstSeen: Timestamp.nullable(),
  lastSeen: Timestamp.nullable(),
  /** Ids of entities merged into this one (each can be split off again). */
  mergedIds: z.array(Id),
});
export type Entity = z.infer<typeof Entity>;

/** cooccurrence: found in the same turns (weight = how often); user: a link the user made. */
export const RelationKind = z.enum(["cooccurrence", "user"]);

export const Relation = z.object({
  id: Id,
  sourceId: Id,
  targetId: Id,
  label: z.string(),
  kind: RelationKind,
  /** Co-occurrence count (1 for a user's link). */
  weight: z.number(),
  lastAt: Timestamp,
  createdAt: Timestamp,
});
export type Relation = z.infer<typeof Relation>;

export const GraphNode = z.object({
  id: Id,
  label: z.string(),
  /** entity: a person, place...; value: a fact's object that names no entity ("34", "vegetarian"). */
  kind: z.enum(["entity", "value"]),
  /** The entity's type (absent for a value). */
  type: EntityType.optional(),
  /** What the whole-graph view pages by: mentions, facts and links together. */
  importance: z.number(),
  mentionCount: z.number().int(),
  factCount: z.number().int(),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  id: Id,
  source: Id,
  target: Id,
  /** The fact's predicate, or the relation's label. */
  label: z.string(),
  kind: z.enum(["fact", "cooccurrence", "user"]),
  weight: z.number(),
  factId: Id.optional(),
  status: FactStatus.optional(),
  validFrom: Timestamp.nullable().optional(),
  validTo: Timestamp.nullable().optional(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

/** One logged change of a memory: who, what it was before, what it became. `before` is null for a creation. */
export const HistoryEntry = z.object({
  id: Id,
  targetId: Id,
  targetKind: z.string(),
  actor: Actor,
  action: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  at: Timestamp,
  /** Whether memory.undo can still revert it (false once the memory changed again, or for kinds with no undo). */
  undoable: z.boolean(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
