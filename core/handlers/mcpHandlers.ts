import { join } from "node:path";
import type { McpAccess, McpClient, McpNeed } from "../api/index.ts";
import type { Handlers } from "../boundary.ts";
import { EngramError } from "../errors.ts";
import { McpClientLog } from "../mcp/mcpClientLog.ts";
import { toFact } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";
import { plainRows } from "../store/plainRows.ts";
import { gte } from "../store/sql.ts";
import { toEpisode } from "./episodeHandlers.ts";
import { memoryHandlers } from "./memoryHandlers.ts";

/** The file, in the data folder, that records which outside tools used the memory. */
export const mcpClientLogFile = "mcp-clients.json";

/** How an outside tool appears as the actor of a change in the memory history. */
export const mcpActor = (client: Pick<McpClient, "name">): `mcp:${string}` => `mcp:${client.name}`;

const refusals: Record<Exclude<McpAccess, "write">, string> = {
  off:
    "Engram's memory is not shared with other apps: MCP access is off. The user can turn it on in Engram's " +
    "Settings (MCP access: read, or read and write).",
  read:
    "Engram lets other apps read its memory but not change it: MCP access is read-only. The user can allow " +
    "changes in Engram's Settings (MCP access: read and write).",
};

/** Whether `access` lets a tool do what it `needs`. */
export const allows = (access: McpAccess, needs: McpNeed) =>
  access === "write" || (access === "read" && needs === "read");

export function mcpHandlers(
  s: Services,
): Pick<Handlers, "mcp.authorize" | "mcp.clients" | "mcp.addMemory" | "mcp.rememberFact" | "episodes.recent"> {
  const log = new McpClientLog(join(s.dataDir, mcpClientLogFile));
  const ingest = memoryHandlers(s)["memory.ingest"];
  // One conversation per client, even when its first notes arrive together.
  const conversationChains = new Map<string, Promise<string>>();

  const requireAccess = async (needs: McpNeed): Promise<McpAccess> => {
    const { mcpAccess } = await s.settings.read();
    if (!allows(mcpAccess, needs)) throw new EngramError("forbidden", refusals[mcpAccess as "off" | "read"]);
    return mcpAccess;
  };

  const conversationOf = (client: McpClient): Promise<string> => {
    const previous = conversationChains.get(client.name) ?? Promise.resolve("");
    const next = previous
      .catch(() => "")
      .then(async () => {
        const known = (await log.get(client.name))?.conversationId;
        if (known && (await s.conversations.find(known))) return known;
        // Named after the tool, so the user sees where these turns came from (a deleted one is made again).
        const conversation = await s.conversations.create(client.name, s.clock());
        await log.setConversation(client, conversation.id, s.clock());
        return conversation.id;
      });
    conversationChains.set(client.name, next);
    return next;
  };

  return {
    "mcp.authorize": async ({ client, tool, needs }) => {
      const { mcpAccess } = await s.settings.read();
      const allowed = allows(mcpAccess, needs);
      await log.noteCall(client, tool, allowed, s.clock());
      if (!allowed) throw new EngramError("forbidden", refusals[mcpAccess as "off" | "read"]);
      return { access: mcpAccess };
    },

    "mcp.clients": async () => ({ access: (await s.settings.read()).mcpAccess, clients: await log.list() }),

    "mcp.addMemory": async ({ client, text, about }) => {
      await requireAccess("write");
      const conversationId = await conversationOf(client);
      // The topic follows the note, apart: put first ("Ana: Ana is...") it runs into the names the note starts with.
      const said = about ? `${text} (about ${about})` : text;
      // The contract's own ingest: the note is embedded, summarised and recalled like any turn.
      const ingested = await ingest({ conversationId, turns: [{ speaker: client.name, text: said }] });
      await s.history.record(
        ingested.episodeIds.map((episodeId) => ({
          memoryId: episodeId,
          memoryKind: "episode",
          actor: mcpActor(client),
          action: "ingest",
          before: null,
          // A snapshot like the semantic memory's, so the history shows what was added and where.
          after: JSON.stringify({ conversationId, speaker: client.name, text: said }),
        })),
      );
      return { conversationId: ingested.conversationId, episodeIds: ingested.episodeIds };
    },

    "mcp.rememberFact": async ({ client, subject, predicate, object, statement }) => {
      await requireAccess("write");
      // What facts.create does, with the tool as the actor of the change (origin user: stated, not extracted).
      const [result] = await s.semantic.consolidate(
        [{ subject, predicate, object, statement, validFrom: null }],
        mcpActor(client),
        "user",
        s.models?.embedder() ?? null,
      );
      s.events.emit("memory.changed", { kinds: ["fact"] });
      return { ...toFact(result!.fact), outcome: result!.outcome };
    },

    "episodes.recent": async ({ since, limit = 20 }) => {
      const from = since === undefined ? undefined : Date.parse(since);
      let query = s.episodes.hot.table.query().select(["id", "conversationId", "seq", "at"]);
      if (from !== undefined) query = query.where(gte("at", from));
      const keys = plainRows<{ id: string; conversationId: string; seq: number; at: number }>(await query.toArrow());
      const newest = keys.sort((a, b) => b.at - a.at || b.seq - a.seq).slice(0, limit);
      const rows = new Map((await s.episodes.byIds(newest.map((key) => key.id))).map((row) => [row.id, row]));
      return {
        episodes: newest.flatMap((key) => {
          const row = rows.get(key.id);
          return row ? [toEpisode(row, false)] : [];
        }),
      };
    },
  };
}
