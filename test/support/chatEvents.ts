import type { EventPayload } from "../../core/api/index.ts";
import type { Engine } from "../../core/engine.ts";

/** Resolves with the `chat.done` event of one reply (set up before the reply can finish). */
export function replyDone(engine: Engine, assistantMessageId: string): Promise<EventPayload<"chat.done">> {
  return new Promise((resolve) => {
    const off = engine.events.on("chat.done", (event) => {
      if (event.assistantMessageId !== assistantMessageId) return;
      off();
      resolve(event);
    });
  });
}
