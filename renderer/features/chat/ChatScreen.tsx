import { ChatPane } from "./ChatPane.tsx";
import { ConversationList } from "./ConversationList.tsx";
import "./chat.css";

/** The chat screen: conversations on the left, the open conversation on the right. */
export function ChatScreen() {
  return (
    <div className="chat-screen">
      <ConversationList />
      <ChatPane />
    </div>
  );
}
