import { useAppState } from "../store/storeContext.ts";
import { ModelStatus } from "./ModelStatus.tsx";

export function ConversationList() {
  const conversations = useAppState((state) => state.conversations);
  const selectedId = useAppState((state) => state.selectedConversationId);
  const createConversation = useAppState((state) => state.createConversation);
  const selectConversation = useAppState((state) => state.selectConversation);

  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-header">
        <span className="brand">Engram</span>
        <button type="button" className="button" onClick={() => void createConversation()}>
          New conversation
        </button>
      </div>
      {conversations.length === 0 ? (
        <p className="sidebar-empty">No conversations yet.</p>
      ) : (
        <ul className="conversation-list">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                className={conversation.id === selectedId ? "conversation selected" : "conversation"}
                aria-current={conversation.id === selectedId ? "page" : undefined}
                onClick={() => void selectConversation(conversation.id)}
              >
                {conversation.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ModelStatus />
    </nav>
  );
}
