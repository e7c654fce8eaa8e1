import type { Handlers } from "../boundary.ts";
import { NotFoundError } from "../errors.ts";
import { toHistoryEntry } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";

export function historyHandlers(s: Services): Pick<Handlers, "memory.history" | "memory.undo"> {
  return {
    "memory.history": async ({ targetId }) => {
      const rows = await s.history.forMemory(targetId);
      const index = s.semantic.index;
      const known = index.facts.has(targetId) || index.entities.has(targetId) || index.relations.has(targetId);
      if (rows.length === 0 && !known) throw new NotFoundError("Memory", targetId);
      // Only the latest change of a memory can be undone as it stands; earlier ones are stale by construction.
      return { entries: rows.map((row) => toHistoryEntry(row, s.semantic.undoable(row))) };
    },

    "memory.undo": async ({ entryId }) => {
      const row = await s.semantic.undo(entryId);
      s.events.emit("memory.changed", { kinds: [row.memoryKind] });
      return { entry: toHistoryEntry(row, s.semantic.undoable(row)) };
    },
  };
}
