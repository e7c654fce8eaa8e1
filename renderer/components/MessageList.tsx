import { useEffect, useRef } from "react";
import type { Message } from "../../core/api/index.ts";
import { MessageBubble } from "./MessageBubble.tsx";

export function MessageList({ messages }: { messages: Message[] }) {
  const end = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);

  // Follow the conversation as messages arrive and replies stream in.
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [messages.length, last?.content]);

  if (messages.length === 0) {
    return (
      <div className="messages empty">
        <p>Say something. Engram keeps what you tell it, on this computer only.</p>
      </div>
    );
  }
  return (
    <div className="messages" role="log" aria-live="polite">
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} />
      ))}
      <div ref={end} />
    </div>
  );
}
