import type { Handlers } from "../boundary.ts";
import { queryGraph } from "../memory/semantic/graphQuery.ts";
import type { Services } from "../services.ts";

export function graphHandlers(s: Services): Pick<Handlers, "graph.get"> {
  return {
    "graph.get": async ({ around, depth, asOf, types, limit = 300, offset = 0, includeSuperseded = false }) =>
      queryGraph(s.semantic.index, {
        ...(around !== undefined ? { around } : {}),
        ...(depth !== undefined ? { depth } : {}),
        ...(asOf !== undefined ? { asOf: Date.parse(asOf) } : {}),
        ...(types !== undefined ? { types } : {}),
        limit,
        offset,
        includeSuperseded,
      }),
  };
}
