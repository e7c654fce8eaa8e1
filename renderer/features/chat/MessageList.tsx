import { useEffect, useRef } from "react";
import type { Message } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import { MessageBubble } from "./MessageBubble.tsx";
import { TranscriptTurn } from "./TranscriptTurn.tsx";

/** The conversation's messages; for a conversation that came in by import, its remembered turns instead. */
export function MessageList({ conversationId, messages }: { conversationId: string | null; messages: Message[] }) {
  const end = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const transcript = useAppState((state) => (conversationId ? state.transcripts[conversationId] : undefined));
  const highlight = useAppState((state) =>
    state.chatHighlight?.conversationId === conversationId ? state.chatHighlight : null,
  );
  const last = messages.at(-1);
  const lastReplyId = messages.findLast((message) => message.role === "assistant")?.id;
  // The turn opened from the memory browser: a transcript turn by its id, a message by its text.
  const highlightedMessageId = highlight
    ? (highlight.messageId ?? messages.find((message) => highlight.text && message.content === highlight.text)?.id)
    : undefined;

  // Follow the conversation as messages arrive and replies stream in, unless a turn was asked for.
  useEffect(() => {
    const marked = list.current?.querySelector('[data-highlighted="true"]');
    if (marked) marked.scrollIntoView({ block: "center" });
    else end.current?.scrollIntoView({ block: "end" });
  }, [messages.length, last?.content, highlight, transcript]);

  if (messages.length === 0 && transcript && transcript.episodes.length > 0) {
    return (
      <div className="messages" role="log" aria-label="Imported conversation" ref={list}>
        <p className="transcript-note">
          Imported conversation: {transcript.total.toLocaleString()} remembered turn{transcript.total === 1 ? "" : "s"}
          {transcript.total > transcript.episodes.length
            ? `, the first ${transcript.episodes.length.toLocaleString()} shown`
            : ""}
          . Write below to continue it.
        </p>
        {transcript.episodes.map((episode) => (
          <TranscriptTurn key={episode.id} episode={episode} highlighted={highlight?.episodeId === episode.id} />
        ))}
      </div>
    );
  }
  if (messages.length === 0) {
    return (
      <div className="messages empty">
        <p>Say something. Engram keeps what you tell it, on this computer only.</p>
      </div>
    );
  }
  return (
    <div className="messages" role="log" aria-live="polite" ref={list}>
      {messages.map((message) => (
        <MessageBubble
          key={message.id}
          message={message}
          isLastReply={message.id === lastReplyId}
          highlighted={message.id === highlightedMessageId}
        />
      ))}
      <div ref={end} />
    </div>
  );
}
