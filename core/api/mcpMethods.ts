import { z } from "zod";
import { Episode, Id, McpAccess, Timestamp } from "./entities.ts";
import { semanticMethods } from "./semanticMethods.ts";

/** What an outside AI tool (an MCP client) says it is, from the MCP initialize handshake. */
export const McpClient = z.object({
  name: z.string().trim().min(1).max(200),
  version: z.string().max(100).optional(),
});
export type McpClient = z.infer<typeof McpClient>;

/** One outside tool that asked for Engram's memory: shown in Settings so the user sees who used it and when. */
export const McpClientUse = z.object({
  name: z.string(),
  version: z.string().optional(),
  firstUsedAt: Timestamp,
  lastUsedAt: Timestamp,
  /** Tool calls that were allowed. */
  calls: z.number().int().nonnegative(),
  /** Tool calls refused because access was off, or read-only for a write. */
  refused: z.number().int().nonnegative(),
  lastTool: z.string(),
  /** The conversation its add_memory calls go into, once it has added one. */
  conversationId: Id.optional(),
});
export type McpClientUse = z.infer<typeof McpClientUse>;

/** What a tool call needs: reading memory, or changing it. */
export const McpNeed = z.enum(["read", "write"]);
export type McpNeed = z.infer<typeof McpNeed>;

/** Longest text one add_memory call may carry (a note, not a document dump). */
export const maxMcpMemoryChars = 20_000;

const newFact = semanticMethods["facts.create"];

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/**
 * Methods behind Engram's MCP server (core/mcp), spread into the contract. The consent check and the record of who
 * used the memory run in the engine, the one process that holds the data folder, whichever way the MCP server reached
 * it (in process or over the loopback HTTP server).
 */
export const mcpMethods = {
  /** Checks the user's consent for one tool call and records the use; refused (forbidden) when access does not allow it. */
  "mcp.authorize": method(
    z.object({ client: McpClient, tool: z.string().trim().min(1).max(100), needs: McpNeed }),
    z.object({ access: McpAccess }),
  ),
  /** The outside tools that used (or tried to use) the memory, most recent first, and the current access setting. */
  "mcp.clients": method(z.object({}), z.object({ access: McpAccess, clients: z.array(McpClientUse) })),
  /**
   * Remembers a note from an outside tool: one turn, spoken by the tool, in a conversation named after it, so it is
   * recalled like any turn; logged in the memory history with the tool as actor. Needs write access.
   */
  "mcp.addMemory": method(
    z.object({
      client: McpClient,
      text: z.string().trim().min(1).max(maxMcpMemoryChars),
      about: z.string().trim().min(1).max(200).optional(),
    }),
    z.object({ conversationId: Id, episodeIds: z.array(Id) }),
  ),
  /**
   * Records a fact from an outside tool, consolidated exactly like `facts.create` (a duplicate merges, a contradiction
   * on the same subject and predicate supersedes), logged with the tool as actor. Needs write access.
   */
  "mcp.rememberFact": method(
    z.object({
      client: McpClient,
      subject: newFact.input.shape.subject,
      predicate: newFact.input.shape.predicate,
      object: newFact.input.shape.object,
      statement: newFact.input.shape.statement,
    }),
    newFact.output,
  ),
  /** The most recent turns across all conversations, newest first (hot tier only). */
  "episodes.recent": method(
    z.object({
      /** Only turns said at or after this time (an ISO date or date-time). */
      since: z.union([z.iso.date(), Timestamp]).optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    z.object({ episodes: z.array(Episode) }),
  ),
} as const;
