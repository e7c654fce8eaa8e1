import type { Message } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";
import { isLive } from "./chatSlice.ts";
import { MessageActions } from "./MessageActions.tsx";
import { MessageMarkdown } from "./MessageMarkdown.tsx";
import { ReplyError } from "./ReplyError.tsx";
import { UsedMemories } from "./UsedMemories.tsx";

/** One message: Markdown text (streamed while a reply arrives), its state, and under a reply its actions and memories. */
export function MessageBubble({
  message,
  isLastReply,
  highlighted,
}: {
  message: Message;
  isLastReply: boolean;
  highlighted: boolean;
}) {
  const replyError = useAppState((state) => state.replyErrors[message.id]);
  const waiting = message.status === "pending" && message.content === "";
  const settled = !isLive(message);

  return (
    <article
      className={`message ${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.status}
      data-message-id={message.id}
      data-highlighted={highlighted || undefined}
      aria-busy={!settled || undefined}
    >
      <header className="message-author">
        <span>{message.role === "user" ? "You" : "Engram"}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </header>
      {waiting ? <div className="message-text waiting">Thinking…</div> : null}
      {message.content ? <MessageMarkdown text={message.content} /> : null}
      {message.status === "stopped" ? <div className="message-meta">Stopped.</div> : null}
      {message.status === "error" ? (
        <ReplyError
          code={replyError?.code}
          message={replyError?.message ?? message.error}
          assistantMessageId={message.id}
        />
      ) : null}
      {message.role === "assistant" && settled ? (
        <footer className="message-footer">
          <MessageActions message={message} canRegenerate={isLastReply} />
          <UsedMemories memoryIds={message.memoryIds} conversationId={message.conversationId} />
        </footer>
      ) : null}
    </article>
  );
}
