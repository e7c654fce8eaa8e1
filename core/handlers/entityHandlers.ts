import type { Handlers } from "../boundary.ts";
import { NotFoundError } from "../errors.ts";
import { listEntities } from "../memory/semantic/semanticQueries.ts";
import { toEntity } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";

type EntityMethods = "entities.list" | "entities.get" | "entities.rename" | "entities.merge" | "entities.split";

export function entityHandlers(s: Services): Pick<Handlers, EntityMethods> {
  const changed = () => s.events.emit("memory.changed", { kinds: ["entity"] });
  const view = (id: string) => toEntity(s.semantic.index, s.semantic.index.entities.get(id)!);
  return {
    "entities.list": async ({ query, type, limit = 100, offset = 0 }) => {
      const rows = listEntities(s.semantic.index, { query, type });
      return {
        entities: rows.slice(offset, offset + limit).map((row) => toEntity(s.semantic.index, row)),
        total: rows.length,
      };
    },

    "entities.get": async ({ id }) => {
      if (!s.semantic.index.entities.has(id)) throw new NotFoundError("Entity", id);
      return view(id);
    },

    "entities.rename": async ({ id, name }) => {
      const row = await s.semantic.renameEntity(id, name);
      changed();
      return view(row.id);
    },

    "entities.merge": async ({ sourceId, targetId }) => {
      const row = await s.semantic.mergeEntities(sourceId, targetId);
      changed();
      return view(row.id);
    },

    "entities.split": async ({ id }) => {
      const row = await s.semantic.splitEntity(id);
      changed();
      return view(row.id);
    },
  };
}
