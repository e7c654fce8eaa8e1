import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";
import { toEpisode } from "./episodeHandlers.ts";
import { wipeHandler } from "./wipeHandler.ts";

/** The methods of core/api/uiMethods.ts. */
export function uiHandlers(s: Services): Pick<Handlers, "episodes.get" | "app.wipe"> {
  return {
    ...wipeHandler(s),
    "episodes.get": async ({ ids }) => {
      const rows = await s.episodes.byIds([...new Set(ids)]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return {
        // In the order asked for, as a reply lists its memories by rank.
        episodes: ids.flatMap((id) => {
          const row = byId.get(id);
          return row ? [toEpisode(row, false)] : [];
        }),
        missing: ids.filter((id) => !byId.has(id)),
      };
    },
  };
}
