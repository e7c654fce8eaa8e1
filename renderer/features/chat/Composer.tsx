import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { Message } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import { isLive } from "./chatSlice.ts";

/** The message box: Enter sends, Shift+Enter adds a line, Escape stops; while a reply streams, Stop replaces Send. */
export function Composer({ messages }: { messages: Message[] }) {
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const sending = useAppState((state) => state.sending);
  const send = useAppState((state) => state.send);
  const stop = useAppState((state) => state.stop);
  const live = messages.findLast((message) => message.role === "assistant" && isLive(message));

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || sending || live) return;
    if (await send(trimmed)) setText("");
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) void submit(event);
  };

  return (
    <form className="composer" onSubmit={(event) => void submit(event)}>
      <textarea
        ref={input}
        data-testid="chat-input"
        aria-label="Message"
        aria-describedby="composer-hint"
        placeholder="Message Engram"
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id="composer-hint" className="offscreen">
        Enter sends, Shift+Enter starts a new line, Escape stops a reply.
      </span>
      {live ? (
        <button type="button" className="button stop" data-testid="chat-stop" onClick={() => void stop(live.id)}>
          Stop
        </button>
      ) : (
        <button
          type="submit"
          className="button primary"
          data-testid="chat-send"
          disabled={sending || text.trim() === ""}
        >
          Send
        </button>
      )}
    </form>
  );
}
