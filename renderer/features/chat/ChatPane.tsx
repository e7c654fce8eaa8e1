import type { Message } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import { Composer } from "./Composer.tsx";
import { ContextMeter } from "./ContextMeter.tsx";
import { MessageList } from "./MessageList.tsx";
import { NoModelBanner } from "./NoModelBanner.tsx";

const noMessages: Message[] = [];

/** The open conversation: its title and context meter, the messages (or imported transcript), and the composer. */
export function ChatPane() {
  const selectedId = useAppState((state) => state.selectedConversationId);
  const title = useAppState(
    (state) => state.conversations.find((conversation) => conversation.id === selectedId)?.title,
  );
  const messages = useAppState((state) =>
    selectedId ? (state.messagesByConversation[selectedId] ?? noMessages) : noMessages,
  );

  return (
    <section className="chat-pane" aria-label="Chat">
      <header className="chat-header">
        <h1>{title ?? "New conversation"}</h1>
        <ContextMeter conversationId={selectedId} />
      </header>
      <MessageList conversationId={selectedId} messages={messages} />
      <NoModelBanner />
      <Composer messages={messages} />
    </section>
  );
}
