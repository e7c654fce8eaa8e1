import { useEffect, useState } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { ConversationPicker } from "./ConversationPicker.tsx";
import { profileOnlyKey } from "./summariesSlice.ts";
import { SummaryEditor } from "./SummaryEditor.tsx";

/** The compact memory: each conversation's running summary and its digests, and the profile across conversations. */
export function SummariesTab() {
  const selectedChat = useAppState((state) => state.selectedConversationId);
  const firstConversation = useAppState((state) => state.conversations[0]?.id ?? null);
  const [conversationId, setConversationId] = useState<string | null>(selectedChat ?? firstConversation);
  const summaries = useAppState((state) => state.summariesByConversation[conversationId ?? profileOnlyKey]);
  const loadSummaries = useAppState((state) => state.loadSummaries);

  useEffect(() => {
    if (conversationId === null && firstConversation) setConversationId(firstConversation);
  }, [conversationId, firstConversation]);

  useEffect(() => {
    void loadSummaries(conversationId);
  }, [conversationId, loadSummaries]);

  return (
    <div className="summaries-tab">
      <SummaryEditor
        label="Profile of you"
        summary={summaries?.profile ?? null}
        conversationId={null}
        emptyText="No profile yet: it grows from what you say across conversations, or write it yourself."
      />
      {conversationId ? (
        <>
          <div className="filter-bar">
            <ConversationPicker value={conversationId} onChange={setConversationId} />
          </div>
          <SummaryEditor
            label="This conversation in one sentence"
            summary={summaries?.conversation ?? null}
            conversationId={conversationId}
            emptyText="No summary yet: it is written in the background after a few turns (it needs a chat model)."
          />
          {summaries && summaries.digests.length > 0 ? (
            <section className="summary-card" aria-label="Summaries of summaries">
              <h3>Summaries of summaries</h3>
              <ul className="memory-list">
                {summaries.digests.map((digest) => (
                  <li key={digest.id} className="memory-row summary-row">
                    <p className="memory-text">{digest.text}</p>
                    <span className="hint">{digest.turnCount.toLocaleString()} turns</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
