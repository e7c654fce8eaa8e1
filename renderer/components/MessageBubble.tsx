import type { Message } from "../../core/api/index.ts";
import { useAppState } from "../store/storeContext.ts";
import { ReplyError } from "./ReplyError.tsx";

export function MessageBubble({ message }: { message: Message }) {
  const replyError = useAppState((state) => state.replyErrors[message.id]);
  const waiting = message.status === "pending" && message.content === "";

  return (
    <article className={`message ${message.role}`} data-status={message.status}>
      <div className="message-author">{message.role === "user" ? "You" : "Engram"}</div>
      {waiting ? <div className="message-text waiting">Thinking…</div> : null}
      {message.content ? <div className="message-text">{message.content}</div> : null}
      {message.status === "stopped" ? <div className="message-meta">Stopped.</div> : null}
      {message.status === "error" ? (
        <ReplyError code={replyError?.code} message={replyError?.message ?? message.error} />
      ) : null}
    </article>
  );
}
