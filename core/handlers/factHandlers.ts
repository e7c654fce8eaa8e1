import type { Handlers } from "../boundary.ts";
import { NotFoundError } from "../errors.ts";
import { listFacts } from "../memory/semantic/semanticQueries.ts";
import { toFact } from "../memory/semantic/semanticViews.ts";
import type { Services } from "../services.ts";

type FactMethods = "facts.create" | "facts.list" | "facts.get" | "facts.update" | "facts.delete" | "facts.restore";

export function factHandlers(s: Services): Pick<Handlers, FactMethods> {
  const changed = () => s.events.emit("memory.changed", { kinds: ["fact"] });
  return {
    "facts.create": async ({ subject, predicate, object, statement, validFrom }) => {
      const [result] = await s.semantic.consolidate(
        [{ subject, predicate, object, statement, validFrom: validFrom ? Date.parse(validFrom) : null }],
        "user",
        "user",
        s.models?.embedder() ?? null,
      );
      changed();
      return { ...toFact(result!.fact), outcome: result!.outcome };
    },

    "facts.list": async ({ entity, query, status, limit = 100, offset = 0 }) => {
      const rows = listFacts(s.semantic.index, { entity, query, status });
      return { facts: rows.slice(offset, offset + limit).map(toFact), total: rows.length };
    },

    "facts.get": async ({ id }) => {
      const row = s.semantic.index.facts.get(id);
      if (!row) throw new NotFoundError("Fact", id);
      return toFact(row);
    },

    "facts.update": async ({ id, ...patch }) => {
      const row = await s.semantic.updateFact(id, patch);
      changed();
      return toFact(row);
    },

    "facts.delete": async ({ id }) => {
      const row = await s.semantic.deleteFact(id);
      changed();
      return toFact(row);
    },

    "facts.restore": async ({ id }) => {
      const row = await s.semantic.restoreFact(id);
      changed();
      return toFact(row);
    },
  };
}
