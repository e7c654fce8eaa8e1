import { useEffect, useMemo } from "react";
import { ModelStatus } from "../settings/ModelStatus.tsx";
import { searchShortcutAttribute } from "../../shell/useGlobalShortcuts.ts";
import { useAppState } from "../../store/storeContext.ts";
import { ConversationItem } from "./ConversationItem.tsx";

/** How long typing pauses before the search also looks into what was said. */
const contentSearchDelayMs = 300;

/** The conversations, newest first, with New and a search that matches titles at once and contents a moment later. */
export function ConversationList() {
  const conversations = useAppState((state) => state.conversations);
  const query = useAppState((state) => state.conversationQuery);
  const contentMatches = useAppState((state) => state.conversationContentMatches);
  const createConversation = useAppState((state) => state.createConversation);
  const setQuery = useAppState((state) => state.setConversationQuery);
  const searchContent = useAppState((state) => state.searchConversationContent);

  useEffect(() => {
    if (query.trim() === "") return;
    const timer = setTimeout(() => void searchContent(), contentSearchDelayMs);
    return () => clearTimeout(timer);
  }, [query, searchContent]);

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return conversations;
    const byContent = new Set(contentMatches);
    return conversations.filter(
      (conversation) => conversation.title.toLowerCase().includes(needle) || byContent.has(conversation.id),
    );
  }, [conversations, query, contentMatches]);

  return (
    <aside className="sidebar" aria-label="Conversations">
      <div className="sidebar-header">
        <button type="button" className="button primary" onClick={() => void createConversation()}>
          New conversation
        </button>
        <input
          type="search"
          className="sidebar-search"
          aria-label="Search conversations"
          placeholder="Search (Ctrl+K)"
          value={query}
          {...{ [searchShortcutAttribute]: "" }}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") void searchContent();
            if (event.key === "Escape" && query) {
              event.preventDefault();
              setQuery("");
            }
          }}
        />
      </div>
      {conversations.length === 0 ? (
        <p className="sidebar-empty">No conversations yet.</p>
      ) : shown.length === 0 ? (
        <p className="sidebar-empty">No conversation matches “{query.trim()}”.</p>
      ) : (
        <ul className="conversation-list">
          {shown.map((conversation) => (
            <ConversationItem key={conversation.id} conversation={conversation} />
          ))}
        </ul>
      )}
      <ModelStatus />
    </aside>
  );
}
