import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";

export function appHandlers(s: Services): Pick<Handlers, "stats.get" | "settings.get" | "settings.update"> {
  return {
    "stats.get": async () => {
      const episodes = await s.episodes.counts();
      return {
        conversations: await s.conversations.count(),
        messages: await s.messages.count(),
        episodes: episodes.hot,
        archivedEpisodes: episodes.archived,
        summaries: await s.summaries.count(),
        pendingJobs: s.jobs.pending,
        schemaVersion: s.db.schemaVersion,
        dataDir: s.dataDir,
        chatModel: s.models?.chatModel()?.id ?? null,
        embedder: s.models?.embedder()?.id ?? null,
      };
    },
    "settings.get": () => s.settings.read(),
    "settings.update": async (changes) => {
      await s.settings.write(changes);
      const settings = await s.settings.read();
      await s.models?.applySettings(settings);
      // A model may have become available: deferred memory work can run now.
      s.jobs.wake();
      return settings;
    },
  };
}
