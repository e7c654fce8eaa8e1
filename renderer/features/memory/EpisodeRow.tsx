import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

/** What a row needs of a turn: a listed episode has every field, a search hit only some. */
export interface EpisodeLike {
  id: string;
  conversationId?: string;
  speaker?: string;
  text: string;
  at?: string;
  pinned?: boolean;
  archived?: boolean;
}

/**
 * One remembered turn: who said it, when, in which conversation; pin it (never archived), forget it (to the
 * archive, still searchable and restorable) or restore it; open it in its conversation.
 */
export function EpisodeRow({ episode }: { episode: EpisodeLike }) {
  const conversationTitle = useAppState(
    (state) => state.conversations.find((conversation) => conversation.id === episode.conversationId)?.title,
  );
  const focused = useAppState((state) => state.focusedMemoryIds?.includes(episode.id) ?? false);
  const pinEpisode = useAppState((state) => state.pinEpisode);
  const forgetEpisodes = useAppState((state) => state.forgetEpisodes);
  const restoreEpisodes = useAppState((state) => state.restoreEpisodes);
  const showTurnInChat = useAppState((state) => state.showTurnInChat);

  return (
    <li
      className="memory-row episode-row"
      data-testid="episode-row"
      data-episode-id={episode.id}
      data-archived={episode.archived ? "true" : undefined}
      data-pinned={episode.pinned ? "true" : undefined}
      data-focused={focused ? "true" : undefined}
    >
      <div className="memory-meta">
        {episode.speaker ? <strong>{episode.speaker}</strong> : null}
        {episode.at ? <time dateTime={episode.at}>{formatDateTime(episode.at)}</time> : null}
        {conversationTitle ? <span className="memory-source">in “{conversationTitle}”</span> : null}
        {episode.pinned ? <span className="badge">Pinned</span> : null}
        {episode.archived ? <span className="badge muted">Archived</span> : null}
      </div>
      <p className="memory-text">{episode.text}</p>
      <div className="row-actions">
        {episode.pinned !== undefined ? (
          <button type="button" className="text-button" onClick={() => void pinEpisode(episode.id, !episode.pinned)}>
            {episode.pinned ? "Unpin" : "Pin"}
          </button>
        ) : null}
        {episode.archived ? (
          <button type="button" className="text-button" onClick={() => void restoreEpisodes([episode.id])}>
            Restore
          </button>
        ) : (
          <button type="button" className="text-button" onClick={() => void forgetEpisodes([episode.id])}>
            Forget
          </button>
        )}
        {episode.conversationId ? (
          <button type="button" className="text-button" onClick={() => void showTurnInChat(episode)}>
            Show in chat
          </button>
        ) : null}
      </div>
    </li>
  );
}
