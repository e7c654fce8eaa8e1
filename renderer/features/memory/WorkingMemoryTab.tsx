import { useEffect } from "react";
import type { Message } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

const noMessages: Message[] = [];
/** Recent turns listed; the prompt takes as many of them as its budget leaves room for. */
const recentShown = 12;

/**
 * What the next reply in the open conversation starts from: the compact memory at the top of the prompt, the
 * memories recalled for the last reply, and the conversation's latest turns, within the prompt budget.
 */
export function WorkingMemoryTab() {
  const conversationId = useAppState((state) => state.selectedConversationId);
  const title = useAppState(
    (state) => state.conversations.find((conversation) => conversation.id === conversationId)?.title,
  );
  const messages = useAppState((state) =>
    conversationId ? (state.messagesByConversation[conversationId] ?? noMessages) : noMessages,
  );
  const summaries = useAppState((state) =>
    conversationId ? state.summariesByConversation[conversationId] : undefined,
  );
  const promptTokens = useAppState((state) => (conversationId ? state.promptTokens[conversationId] : undefined));
  const budget = useAppState((state) => state.settings?.promptBudgetTokens);
  const loadSummaries = useAppState((state) => state.loadSummaries);
  const loadMessages = useAppState((state) => state.loadMessages);
  const openMemories = useAppState((state) => state.openMemories);

  useEffect(() => {
    if (!conversationId) return;
    void loadSummaries(conversationId);
    void loadMessages(conversationId);
  }, [conversationId, loadSummaries, loadMessages]);

  if (!conversationId) return <p className="hint">Open a conversation in the chat to see its working memory.</p>;

  const lastReply = messages.findLast((message) => message.role === "assistant" && message.status !== "pending");
  const recent = messages
    .filter((message) => message.status === "done" || message.status === "stopped")
    .slice(-recentShown);
  const compact = [
    { label: "Profile of you", text: summaries?.profile?.text },
    { label: "Summary of earlier summaries", text: summaries?.digests.at(-1)?.text },
    { label: "This conversation so far", text: summaries?.conversation?.text },
  ].filter((entry): entry is { label: string; text: string } => Boolean(entry.text));

  return (
    <div className="working-tab">
      <p className="hint">
        For “{title}”. Every prompt holds, within the budget of {budget?.toLocaleString() ?? "…"} tokens: the compact
        memory, what recall finds for the message, and as many recent turns as still fit.
        {promptTokens !== undefined ? ` The last prompt took ${promptTokens.toLocaleString()} tokens.` : ""}
      </p>
      <section className="summary-card" aria-label="Compact memory">
        <h3>At the top of every prompt</h3>
        {compact.length === 0 ? (
          <p className="hint">No summaries yet.</p>
        ) : (
          <dl className="facts-list">
            {compact.map((entry) => (
              <div key={entry.label}>
                <dt>{entry.label}</dt>
                <dd>{entry.text}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section className="summary-card" aria-label="Recalled for the last reply">
        <h3>Recalled for the last reply</h3>
        {lastReply && lastReply.memoryIds.length > 0 ? (
          <button
            type="button"
            className="text-button"
            onClick={() => openMemories(lastReply.memoryIds, conversationId)}
          >
            {lastReply.memoryIds.length} memories: show them
          </button>
        ) : (
          <p className="hint">Nothing was recalled for the last reply.</p>
        )}
      </section>
      <section className="summary-card" aria-label="Recent turns">
        <h3>Recent turns</h3>
        {recent.length === 0 ? (
          <p className="hint">No turns yet.</p>
        ) : (
          <ol className="memory-list">
            {recent.map((message) => (
              <li key={message.id} className="memory-row">
                <div className="memory-meta">
                  <strong>{message.role === "user" ? "You" : "Engram"}</strong>
                  <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
                </div>
                <p className="memory-text">{message.content}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
