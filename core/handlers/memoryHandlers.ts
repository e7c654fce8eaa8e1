import type { SearchHit } from "../api/index.ts";
import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";

/** Speakers recognised as the two sides of a chat; any other name (an import) is remembered as "other". */
const roleOf = (speaker: string) => {
  const name = speaker.trim().toLowerCase();
  return name === "user" ? "user" : name === "assistant" ? "assistant" : "other";
};

export function memoryHandlers(s: Services): Pick<Handlers, "memory.ingest" | "memory.search"> {
  return {
    "memory.ingest": async ({ conversationId, turns }) => {
      const now = s.clock();
      // An existing conversation is checked in ingest's own order, so calls keep the order they arrived in.
      const id =
        conversationId ??
        (await s.conversations.create(`Imported ${new Date(now).toISOString().slice(0, 10)}`, now)).id;
      const episodes = await s.episodic.ingest(
        id,
        turns.map((turn) => ({
          speaker: turn.speaker,
          role: roleOf(turn.speaker),
          text: turn.text,
          at: turn.at ? Date.parse(turn.at) : now,
        })),
        conversationId ? { admit: () => s.conversations.get(conversationId) } : {},
      );
      const episodeIds = episodes.map((episode) => episode.id);
      await s.memoryJobs.afterTurns(id, episodes);
      s.events.emit("memory.changed", { conversationId: id, kinds: ["episode"] });
      return { conversationId: id, episodeIds };
    },

    "memory.search": async ({ query, limit = 20 }) => {
      const recalled = await s.episodic.recall(query, {
        limit,
        now: s.clock(),
        embedder: s.reembedding.recallEmbedder(),
      });
      const hits: SearchHit[] = recalled.map(({ episode, score, archived }) => ({
        kind: "episode",
        id: episode.id,
        text: episode.text,
        score,
        conversationId: episode.conversationId,
        speaker: episode.speaker,
        at: new Date(episode.at).toISOString(),
        ...(archived ? { archived } : {}),
      }));
      const facts = await matchingFacts(s, query, limit);
      return {
        hits: [...hits.slice(0, limit - facts.length), ...facts, ...(await matchingSummaries(s, query))].slice(
          0,
          limit,
        ),
      };
    },
  };
}

/**
 * Summaries that share words with the query. They are few, so a plain word overlap is enough; they rank after
 * the episodes (whose fused scores are on another scale) but still show up when only a summary matches.
 */
async function matchingSummaries(s: Services, query: string): Promise<SearchHit[]> {
  const words = new Set(query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
  if (words.size === 0) return [];
  const rows = await s.summaries.all();
  return rows
    .map((row) => {
      const text = row.text.toLowerCase();
      const overlap = [...words].filter((word) => text.includes(word)).length / words.size;
      return { row, overlap };
    })
    .filter(({ overlap }) => overlap > 0)
    .sort((a, b) => b.overlap - a.overlap)
    .map(({ row, overlap }) => ({
      kind: "summary" as const,
      id: row.id,
      text: row.text,
      score: overlap * 0.001,
      ...(row.conversationId ? { conversationId: row.conversationId } : {}),
      at: new Date(row.updatedAt).toISOString(),
    }));
}

/**
 * Facts recalled for the query (core/memory/semantic/factRecall.ts), as `kind: "fact"` hits. They take up to a
 * quarter of the hits, after the episodes that rank above them would be cut, so neither kind crowds the other out.
 */
async function matchingFacts(s: Services, query: string, limit: number): Promise<SearchHit[]> {
  const recalled = await s.factRecall.recall(query, {
    limit: Math.max(1, Math.floor(limit / 4)),
    now: s.clock(),
    embedder: s.models?.embedder() ?? null,
  });
  return recalled.map(({ fact, score }) => ({
    kind: "fact" as const,
    id: fact.id,
    text: fact.statement,
    score,
    ...(fact.validFrom !== null ? { at: new Date(fact.validFrom).toISOString() } : {}),
  }));
}
