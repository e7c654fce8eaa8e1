import type { EpisodeStore } from "../store/episodeStore.ts";
import { and, eq, lt } from "../store/sql.ts";

export interface ForgettingPolicy {
  /** Only episodes idle longer than this (not learned nor recalled since) may be archived. */
  forgetAfterDays: number;
  /** Above this many hot episodes, the least retained old episodes are archived too, down to this number. */
  maxHotEpisodes: number;
}

const dayMs = 86_400_000;

/**
 * How many idle days an episode keeps its place in recall: the forgetting age, stretched by salience (a salient
 * turn lasts up to five times longer) and by use (a turn recalled three times or more, up to three times longer).
 */
export function keepDays(episode: { salience: number; accessCount: number }, forgetAfterDays: number): number {
  return forgetAfterDays * (1 + 4 * episode.salience + 2 * Math.min(1, episode.accessCount / 3));
}

/**
 * Forgetting: idle-age- and salience-weighted demotion of the hot episodic index into the archive tier. An episode's
 * idle age counts from when Engram learned it or last recalled it (`lastAccessAt`), never from the time the turn
 * carries, so an imported old history starts fresh. Archived episodes are still recalled (ranked lower), kept,
 * exported and restorable. Pinned and user-edited episodes are never demoted.
 */
export class Forgetting {
  readonly #episodes: EpisodeStore;

  constructor(episodes: EpisodeStore) {
    this.#episodes = episodes;
  }

  /**
   * Archives what the policy lets go; answers how many episodes it moved (a turn the user archived meanwhile is
   * not moved, nor counted, twice).
   */
  async prune(policy: ForgettingPolicy, now: number): Promise<number> {
    const cutoff = now - policy.forgetAfterDays * dayMs;
    const candidates = (await this.#episodes.hot.table
      .query()
      .where(and(lt("lastAccessAt", cutoff), eq("pinned", false), eq("edited", false)))
      .select(["id", "salience", "accessCount", "lastAccessAt"])
      .toArray()) as { id: string; salience: number; accessCount: number; lastAccessAt: number }[];
    // Retention: the share of its keep time an episode has left (negative once idle longer than it may be).
    const scored = candidates
      .map((episode) => ({
        id: episode.id,
        retention: 1 - (now - episode.lastAccessAt) / dayMs / keepDays(episode, policy.forgetAfterDays),
      }))
      .sort((a, b) => a.retention - b.retention);
    const chosen = new Set(scored.filter((episode) => episode.retention < 0).map((episode) => episode.id));

    // Over capacity: archive the least retained of the remaining old candidates until under the cap.
    const { hot } = await this.#episodes.counts();
    let excess = hot - chosen.size - policy.maxHotEpisodes;
    for (const episode of scored) {
      if (excess <= 0) break;
      if (chosen.has(episode.id)) continue;
      chosen.add(episode.id);
      excess -= 1;
    }
    const ids = [...chosen];
    let moved = 0;
    for (let start = 0; start < ids.length; start += 1000) {
      moved += await this.#episodes.moveToArchive(ids.slice(start, start + 1000), now);
    }
    return moved;
  }
}
