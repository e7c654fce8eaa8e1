import { useState, type FormEvent, type KeyboardEvent } from "react";
import type { Message } from "../../core/api/index.ts";
import { useAppState } from "../store/storeContext.ts";

/** The message box: Enter sends, Shift+Enter adds a line; while a reply streams, Stop replaces Send. */
export function Composer({ messages }: { messages: Message[] }) {
  const [text, setText] = useState("");
  const sending = useAppState((state) => state.sending);
  const send = useAppState((state) => state.send);
  const stop = useAppState((state) => state.stop);
  const live = messages.findLast(
    (message) => message.role === "assistant" && (message.status === "pending" || message.status === "streaming"),
  );

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || sending || live) return;
    if (await send(trimmed)) setText("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) void submit(event);
  };

  return (
    <form className="composer" onSubmit={(event) => void submit(event)}>
      <textarea
        aria-label="Message"
        placeholder="Message Engram"
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {live ? (
        <button type="button" className="button stop" onClick={() => void stop(live.id)}>
          Stop
        </button>
      ) : (
        <button type="submit" className="button primary" disabled={sending || text.trim() === ""}>
          Send
        </button>
      )}
    </form>
  );
}
