import type { Handlers } from "../boundary.ts";
import { toRelation } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";

export function relationHandlers(s: Services): Pick<Handlers, "relations.create" | "relations.delete"> {
  const changed = () => s.events.emit("memory.changed", { kinds: ["relation"] });
  return {
    "relations.create": async ({ sourceId, targetId, label }) => {
      const row = await s.semantic.createRelation(sourceId, targetId, label);
      changed();
      return toRelation(row);
    },

    "relations.delete": async ({ id }) => {
      await s.semantic.deleteRelation(id);
      changed();
      return { deleted: true as const };
    },
  };
}
