import { EngramError } from "../errors.ts";
import type { Services } from "../services.ts";
import type { HistoryRow } from "../store/schema.ts";
import { SerialRuns } from "../store/serialRuns.ts";

/** Whether a history entry logs turns added to the memory (an outside tool's note), which undo takes out again. */
export const isIngestEntry = (row: HistoryRow): boolean => row.memoryKind === "episode" && row.action === "ingest";

/**
 * Undo of an ingest: the episode it added is deleted from both tiers with its vectors and what the semantic memory
 * learned only from it, and the undo is logged (by the user, with what was removed). The semantic memory's undo
 * covers facts, entities and relations; this is the case of a turn, for what an outside tool added through MCP.
 */
export class IngestUndo {
  readonly #s: Services;
  // Undos one at a time, so two sent together remove the turn once and log one undo; the second is told it is gone.
  readonly #runs = new SerialRuns();

  constructor(services: Services) {
    this.#s = services;
  }

  /** An ingest can be undone while the turn it added is still kept. */
  async undoable(entry: HistoryRow): Promise<boolean> {
    return (await this.#s.episodes.existing([entry.memoryId])).has(entry.memoryId);
  }

  /** Removes the turn; answers the undo's own history entry. Refused (conflict) when the turn is already gone. */
  undo(entry: HistoryRow): Promise<HistoryRow> {
    return this.#runs.run("undo", async () => {
      const s = this.#s;
      if (!(await this.undoable(entry))) {
        throw new EngramError(
          "conflict",
          `This change no longer applies: the turn ${JSON.stringify(entry.memoryId)} was already removed. Nothing was undone.`,
        );
      }
      await s.episodes.deleteByIds([entry.memoryId]);
      await s.vectors.deleteByIds([entry.memoryId]);
      // What was learned only from the turn goes with it (its mentions, facts and links: turnForgetting.ts).
      await s.semantic.forgetTurns({ episodeIds: [entry.memoryId] });
      await s.history.record([
        {
          memoryId: entry.memoryId,
          memoryKind: "episode",
          actor: "user",
          action: "undo",
          before: entry.after,
          after: null,
          changeId: null,
        },
      ]);
      const conversationId = conversationOf(entry);
      s.events.emit("memory.changed", { ...(conversationId ? { conversationId } : {}), kinds: ["episode"] });
      const rows = await s.history.forMemory(entry.memoryId);
      return rows[rows.length - 1]!;
    });
  }
}

function conversationOf(entry: HistoryRow): string | undefined {
  try {
    const after = JSON.parse(entry.after ?? "null") as { conversationId?: unknown } | null;
    return typeof after?.conversationId === "string" ? after.conversationId : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
