import type { Episode } from "../api/index.ts";
import type { Handlers } from "../boundary.ts";
import { NotFoundError } from "../errors.ts";
import type { Services } from "../services.ts";
import type { EpisodeRow } from "../store/schema.ts";

export const toEpisode = (row: EpisodeRow, archived: boolean): Episode => ({
  id: row.id,
  conversationId: row.conversationId,
  speaker: row.speaker,
  text: row.text,
  at: new Date(row.at).toISOString(),
  salience: row.salience,
  pinned: row.pinned,
  archived,
});

export function episodeHandlers(
  s: Services,
): Pick<Handlers, "episodes.list" | "episodes.forget" | "episodes.restore" | "episodes.pin"> {
  return {
    "episodes.list": async ({ conversationId, limit = 100, offset = 0, includeArchived = false }) => {
      await s.conversations.get(conversationId);
      const rows = await s.episodes.listConversation(conversationId, includeArchived);
      return {
        episodes: rows.slice(offset, offset + limit).map((row) => toEpisode(row, row.archived)),
        total: rows.length,
      };
    },

    "episodes.forget": async ({ ids }) => {
      const archived = await s.episodes.moveToArchive(ids, s.clock());
      if (archived > 0) await userChangedEpisodes(s, ids, "archive");
      return { archived };
    },

    "episodes.restore": async ({ ids }) => {
      const restored = await s.episodes.restoreFromArchive(ids, s.clock());
      if (restored > 0) await userChangedEpisodes(s, ids, "restore");
      return { restored };
    },

    "episodes.pin": async ({ id, pinned }) => {
      const [row] = await s.episodes.byIds([id]);
      if (!row) throw new NotFoundError("Episode", id);
      await s.episodes.update(id, { pinned });
      await s.history.record([
        {
          memoryId: id,
          memoryKind: "episode",
          actor: "user",
          action: pinned ? "pin" : "unpin",
          before: String(row.pinned),
          after: String(pinned),
        },
      ]);
      return toEpisode({ ...row, pinned }, false);
    },
  };
}

/**
 * Logs a user's action on episodes in the memory history and tells open views to refresh. Only ids of episodes that
 * exist are logged: an id that names nothing changed nothing, and must leave no trace (found by the fuzz suite).
 */
async function userChangedEpisodes(s: Services, ids: string[], action: string): Promise<void> {
  const existing = await s.episodes.existing(ids);
  await s.history.record(
    ids
      .filter((id) => existing.has(id))
      .map((id) => ({ memoryId: id, memoryKind: "episode", actor: "user", action, before: null, after: null })),
  );
  s.events.emit("memory.changed", { kinds: ["episode"] });
}
