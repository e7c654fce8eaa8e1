import { useEffect, useMemo } from "react";
import { formatDate } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";
import { ConversationPicker } from "./ConversationPicker.tsx";
import { EpisodeRow } from "./EpisodeRow.tsx";
import { episodePageSize } from "./episodesSlice.ts";
import { bucketKey } from "./timelineSlice.ts";

/**
 * Every remembered turn, by conversation (paged) or, with a date span (from the timeline or the date fields), across
 * all conversations.
 */
export function EpisodesTab() {
  const conversationId = useAppState((state) => state.episodeConversationId);
  const selectedChat = useAppState((state) => state.selectedConversationId);
  const firstConversation = useAppState((state) => state.conversations[0]?.id ?? null);
  const page = useAppState((state) => state.episodePage);
  const range = useAppState((state) => state.episodeDateRange);
  const allEpisodes = useAppState((state) => state.timelineEpisodes);
  const loading = useAppState((state) => state.timelineProgress);
  const loadEpisodes = useAppState((state) => state.loadEpisodes);
  const setRange = useAppState((state) => state.setEpisodeDateRange);

  // The tab opens on the conversation open in the chat, or the newest one.
  useEffect(() => {
    const initial = conversationId ?? selectedChat ?? firstConversation;
    if (initial && !page) void loadEpisodes(initial);
  }, [conversationId, selectedChat, firstConversation, page, loadEpisodes]);

  const inRange = useMemo(() => {
    if (!range || !allEpisodes) return null;
    return allEpisodes.filter((episode) => {
      const day = bucketKey(episode.at, "day");
      return day >= range.from && day <= range.to;
    });
  }, [range, allEpisodes]);

  return (
    <div className="episodes-tab">
      <div className="filter-bar">
        {range ? null : <ConversationPicker value={conversationId} onChange={(id) => void loadEpisodes(id)} />}
        <label className="inline-field">
          <span>From</span>
          <input
            type="date"
            value={range?.from ?? ""}
            onChange={(event) =>
              setRange(event.target.value ? { from: event.target.value, to: range?.to ?? event.target.value } : null)
            }
          />
        </label>
        <label className="inline-field">
          <span>To</span>
          <input
            type="date"
            value={range?.to ?? ""}
            onChange={(event) =>
              setRange(event.target.value ? { from: range?.from ?? event.target.value, to: event.target.value } : null)
            }
          />
        </label>
        {range ? (
          <button type="button" className="button subtle" onClick={() => setRange(null)}>
            All dates
          </button>
        ) : null}
      </div>

      {range ? (
        inRange === null ? (
          <p className="hint">{loading ? `Reading conversations… ${loading.read} of ${loading.total}` : "Loading…"}</p>
        ) : (
          <>
            <p className="hint">
              {inRange.length.toLocaleString()} turn{inRange.length === 1 ? "" : "s"} said{" "}
              {range.from === range.to
                ? `on ${formatDate(range.from)}`
                : `from ${formatDate(range.from)} to ${formatDate(range.to)}`}
              , in every conversation.
            </p>
            <ul className="memory-list" aria-label="Turns in this period">
              {inRange.slice(0, 500).map((episode) => (
                <EpisodeRow key={episode.id} episode={episode} />
              ))}
            </ul>
            {inRange.length > 500 ? (
              <p className="hint">The first 500 are shown; narrow the dates to see the rest.</p>
            ) : null}
          </>
        )
      ) : !page ? (
        <p className="hint">{firstConversation ? "Loading…" : "Nothing remembered yet."}</p>
      ) : (
        <>
          <p className="hint">
            {page.total.toLocaleString()} remembered turn{page.total === 1 ? "" : "s"} in this conversation
            {page.total > episodePageSize
              ? `; ${page.offset + 1}–${Math.min(page.total, page.offset + episodePageSize)} shown`
              : ""}
            .
          </p>
          <ul className="memory-list" aria-label="Remembered turns">
            {page.episodes.map((episode) => (
              <EpisodeRow key={episode.id} episode={episode} />
            ))}
          </ul>
          {page.total > episodePageSize && conversationId ? (
            <div className="pager">
              <button
                type="button"
                className="button"
                disabled={page.offset === 0}
                onClick={() => void loadEpisodes(conversationId, Math.max(0, page.offset - episodePageSize))}
              >
                Earlier
              </button>
              <button
                type="button"
                className="button"
                disabled={page.offset + episodePageSize >= page.total}
                onClick={() => void loadEpisodes(conversationId, page.offset + episodePageSize)}
              >
                Later
              </button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
