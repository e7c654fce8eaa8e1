import { totalmem } from "node:os";
import type { Handlers } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import type { Services } from "../services.ts";

export function appHandlers(
  s: Services,
): Pick<Handlers, "stats.get" | "settings.get" | "settings.update" | "app.chooseModelFile"> {
  // Every settings change (settings.update, and the choice models.use saves) is applied to the models before it is
  // saved: one the engine cannot apply (a model that does not load or fit) is refused, and what worked stays loaded.
  s.settings.applyWith(async (next) => {
    await s.models?.applySettings(next, { refuseFailure: true });
  });
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
        totalMemoryBytes: totalmem(),
        storageNotices: s.db.notices,
      };
    },
    "settings.get": () => s.settings.read(),
    "settings.update": async (changes) => {
      const settings = await s.settings.update(changes);
      // A model may have become available: deferred memory work can run now.
      s.jobs.wake();
      return settings;
    },
    // Electron main answers this itself with the system's file dialog; anywhere else there is no dialog to open.
    "app.chooseModelFile": async () => {
      throw new BadInputError("Only the desktop app can open a file dialog: type the path of the .gguf file instead.");
    },
  };
}
