import type { Handlers } from "../boundary.ts";
import { episodeJob } from "../jobs/episodeJob.ts";
import { jobKinds } from "../jobs/memoryJobs.ts";
import type { Services } from "../services.ts";
import { renderMarkdownExport } from "../transfer/markdownExport.ts";
import { MemoryExporter, serializeExport } from "../transfer/memoryExporter.ts";
import { MemoryImporter } from "../transfer/memoryImporter.ts";
import { reloadSemanticIndex } from "../transfer/semanticReload.ts";

/** Episodes per embed job after an Engram import. */
const episodesPerEmbedJob = 1000;

export function transferHandlers(
  s: Services,
): Pick<Handlers, "conversations.import" | "conversations.importFile" | "memory.export" | "memory.import"> {
  const exporter = new MemoryExporter({
    tables: s.tables,
    settings: s.settings,
    schemaVersion: s.db.schemaVersion,
    clock: s.clock,
  });
  const memoryImporter = new MemoryImporter({
    tables: s.tables,
    imports: s.imports,
    schemaVersion: s.db.schemaVersion,
    applySettings: async (changes) => {
      await s.settings.write(changes);
      await s.models?.applySettings(await s.settings.read());
    },
    afterImport: async (conversationIds) => {
      for (const id of conversationIds) s.episodic.forgetConversation(id);
      await reloadSemanticIndex(s.tables, s.semantic);
      // Vectors are not exported: the imported turns are embedded in the background, as new turns are, each job
      // within one conversation (it runs under that conversation's gate) and naming its turns by their run.
      const jobs = [];
      for (const [conversationId, episodes] of await s.episodes.refsOf([...new Set(conversationIds)])) {
        for (let start = 0; start < episodes.length; start += episodesPerEmbedJob) {
          const slice = episodes.slice(start, start + episodesPerEmbedJob);
          jobs.push({ kind: jobKinds.embed, payload: episodeJob(conversationId, slice) });
        }
      }
      if (jobs.length > 0) await s.jobs.enqueue(jobs);
      s.events.emit("memory.changed", { kinds: ["conversation", "episode", "summary", "fact", "entity", "relation"] });
    },
  });
  return {
    "conversations.import": ({ source, content }) => s.importer.importText(source, content),
    "conversations.importFile": ({ source, path }) => s.importer.importFile(source, path),
    // Export and Engram import wait for a running import (and the other way round), so an export is never half of one.
    "memory.export": ({ format }) =>
      s.importer.exclusive(async () => {
        const document = await exporter.collect();
        return { content: format === "json" ? serializeExport(document) : renderMarkdownExport(document) };
      }),
    "memory.import": ({ content }) => s.importer.exclusive(() => memoryImporter.import(content)),
  };
}
