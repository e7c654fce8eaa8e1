import { useEffect } from "react";
import { useAppState } from "../store/storeContext.ts";
import { ChatPane } from "./ChatPane.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { ModelPanel } from "./ModelPanel.tsx";
import { NoticeBar } from "./NoticeBar.tsx";

/** The chat screen: conversations on the left, the selected conversation on the right. */
export function App() {
  const loadConversations = useAppState((state) => state.loadConversations);
  const loadModels = useAppState((state) => state.loadModels);

  useEffect(() => {
    void loadConversations();
    void loadModels();
  }, [loadConversations, loadModels]);

  return (
    <div className="app">
      <ConversationList />
      <main className="chat">
        <NoticeBar />
        <ChatPane />
      </main>
      <ModelPanel />
    </div>
  );
}
