import type { Handlers } from "../boundary.ts";
import { NotFoundError } from "../errors.ts";
import { toHistoryEntry } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";
import type { HistoryRow } from "../store/schema.ts";
import { IngestUndo, isIngestEntry } from "./ingestUndo.ts";

export function historyHandlers(s: Services): Pick<Handlers, "memory.history" | "memory.undo"> {
  const ingests = new IngestUndo(s);
  const undoable = async (row: HistoryRow) => (isIngestEntry(row) ? ingests.undoable(row) : s.semantic.undoable(row));
  return {
    "memory.history": async ({ targetId }) => {
      const rows = await s.history.forMemory(targetId);
      const index = s.semantic.index;
      const known = index.facts.has(targetId) || index.entities.has(targetId) || index.relations.has(targetId);
      if (rows.length === 0 && !known) throw new NotFoundError("Memory", targetId);
      // Only the latest change of a memory can be undone as it stands; earlier ones are stale by construction.
      return { entries: await Promise.all(rows.map(async (row) => toHistoryEntry(row, await undoable(row)))) };
    },

    "memory.undo": async ({ entryId }) => {
      const entry = await s.history.byId(entryId);
      if (entry && isIngestEntry(entry)) {
        return { entry: toHistoryEntry(await ingests.undo(entry), false) };
      }
      const row = await s.semantic.undo(entryId);
      s.events.emit("memory.changed", { kinds: [row.memoryKind] });
      return { entry: toHistoryEntry(row, s.semantic.undoable(row)) };
    },
  };
}
