import type { EpisodeRef, EpisodeStore } from "../store/episodeStore.ts";
import type { EpisodeRow } from "../store/schema.ts";

/**
 * The turns a background job (embedding, summary, entities, facts) works on. An ingest stores its turns at
 * consecutive positions of one conversation, so they are named by that run of positions: a few bytes, where a list of
 * a thousand ids made each job of an import 26 KB, and the jobs table's upkeep rewrote them all again and again (at
 * 1,000,000 turns, 100 MB each time). Turns that are not one run (a reply stored after other turns came in between)
 * are listed by id, as jobs queued by an older Engram still are. Positions are never used twice, so a run names
 * exactly the turns of its ingest, less any deleted since.
 */
export type EpisodeJob =
  { conversationId: string; episodeIds: string[] } | { conversationId: string; seqFrom: number; seqTo: number };

export function episodeJob(conversationId: string, episodes: readonly EpisodeRef[]): EpisodeJob {
  const seqs = episodes.map((episode) => episode.seq).sort((a, b) => a - b);
  const first = seqs[0] ?? 0;
  const isRun = seqs.length > 1 && seqs.every((seq, index) => seq === first + index);
  return isRun
    ? { conversationId, seqFrom: first, seqTo: seqs.at(-1)! }
    : { conversationId, episodeIds: episodes.map((episode) => episode.id) };
}

/** The hot episodes a job names, in the conversation's order. */
export async function episodesOf(store: EpisodeStore, job: EpisodeJob): Promise<EpisodeRow[]> {
  const rows =
    "episodeIds" in job
      ? await store.byIds(job.episodeIds)
      : await store.inSeqRange(job.conversationId, job.seqFrom, job.seqTo);
  return rows.sort((a, b) => a.seq - b.seq);
}
