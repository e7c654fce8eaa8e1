import type { Episode } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export type TimelineGranularity = "day" | "month";

export interface TimelineBucket {
  /** "2024-03-12" for a day, "2024-03" for a month (local time). */
  key: string;
  count: number;
}

export interface TimelineSlice {
  /** Every remembered turn (hot and archived), read for the timeline; null until loaded. */
  timelineEpisodes: Episode[] | null;
  timelineGranularity: TimelineGranularity;
  /** Turns read so far while the timeline loads, of how many. */
  timelineProgress: { read: number; total: number } | null;
  loadTimeline(): Promise<void>;
  setTimelineGranularity(granularity: TimelineGranularity): void;
}

/** Turns asked for per call while the timeline reads a conversation. */
const readPageSize = 1000;

/** The local calendar day or month a time falls in, as a sortable key. */
export function bucketKey(iso: string, granularity: TimelineGranularity): string {
  const date = new Date(iso);
  const month = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;
  return granularity === "month" ? month : `${month}-${String(date.getDate()).padStart(2, "0")}`;
}

/** How many turns were said per day or month, oldest first, with empty days or months between filled in as 0. */
export function timelineBuckets(episodes: Episode[], granularity: TimelineGranularity): TimelineBucket[] {
  const counts = new Map<string, number>();
  for (const episode of episodes) {
    const key = bucketKey(episode.at, granularity);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  const first = keys[0];
  const last = keys.at(-1);
  if (!first || !last) return [];
  const buckets: TimelineBucket[] = [];
  const cursor = granularity === "month" ? new Date(`${first}-01T00:00:00`) : new Date(`${first}T00:00:00`);
  // A long history by day would be thousands of empty bars: fill gaps only up to a readable number.
  for (let steps = 0; steps < 2000; steps += 1) {
    const key = bucketKey(cursor.toISOString(), granularity);
    buckets.push({ key, count: counts.get(key) ?? 0 });
    if (key >= last) break;
    if (granularity === "month") cursor.setMonth(cursor.getMonth() + 1);
    else cursor.setDate(cursor.getDate() + 1);
  }
  return buckets;
}

/** The first and last day a bucket covers, as the episodes tab's date range. */
export function rangeOfBucket(key: string, granularity: TimelineGranularity): { from: string; to: string } {
  if (granularity === "day") return { from: key, to: key };
  const [year, month] = key.split("-").map(Number) as [number, number];
  const lastDay = new Date(year, month, 0).getDate();
  return { from: `${key}-01`, to: `${key}-${String(lastDay).padStart(2, "0")}` };
}

export const createTimelineSlice =
  (client: ApiClient): SliceCreator<TimelineSlice> =>
  (set, get) => ({
    timelineEpisodes: null,
    timelineGranularity: "day",
    timelineProgress: null,

    async loadTimeline() {
      if (get().timelineProgress) return;
      try {
        const { conversations } = await client.call("conversations.list", {});
        const collected: Episode[] = [];
        set({ timelineProgress: { read: 0, total: conversations.length } });
        for (const [index, conversation] of conversations.entries()) {
          for (let offset = 0; ; offset += readPageSize) {
            const { episodes, total } = await client.call("episodes.list", {
              conversationId: conversation.id,
              offset,
              limit: readPageSize,
              includeArchived: true,
            });
            collected.push(...episodes);
            if (offset + readPageSize >= total) break;
          }
          set({ timelineProgress: { read: index + 1, total: conversations.length } });
        }
        collected.sort((a, b) => a.at.localeCompare(b.at));
        const days = timelineBuckets(collected, "day").length;
        set({ timelineEpisodes: collected, ...(days > 120 ? { timelineGranularity: "month" as const } : {}) });
      } catch (error) {
        get().showNotice(error);
      } finally {
        set({ timelineProgress: null });
      }
    },

    setTimelineGranularity: (timelineGranularity) => set({ timelineGranularity }),
  });
