/** The server's event stream (`GET /api/events`), read as a client does, collected for assertions. */
import type { HeadlessProcess } from "./headlessProcess.ts";

export interface ReceivedEvent {
  name: string;
  payload: unknown;
}

export class EventRecorder {
  readonly events: ReceivedEvent[] = [];
  readonly #controller = new AbortController();
  readonly #done: Promise<void>;

  private constructor(done: (recorder: EventRecorder) => Promise<void>) {
    this.#done = done(this);
  }

  /** Subscribes and resolves once the server confirmed the subscription. */
  static async open(server: HeadlessProcess): Promise<EventRecorder> {
    let confirmed!: () => void;
    const subscribed = new Promise<void>((resolve) => (confirmed = resolve));
    const recorder = new EventRecorder(async (self) => {
      const response = await fetch(`${server.origin}/api/events`, {
        headers: { Authorization: `Bearer ${server.token}` },
        signal: self.#controller.signal,
      });
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        const reader = response.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          if (buffer.includes(": connected")) confirmed();
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (name && data) self.events.push({ name, payload: JSON.parse(data) });
          }
        }
      } catch (error) {
        if (!self.#controller.signal.aborted) throw error;
      }
    });
    await subscribed;
    return recorder;
  }

  /** Waits until an event matching `match` has arrived (or `timeoutMs` passed). */
  async waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs = 120_000): Promise<ReceivedEvent> {
    for (let waited = 0; waited < timeoutMs; waited += 100) {
      const found = this.events.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(this.events).slice(0, 1000)}`);
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.#done.catch(() => undefined);
  }
}
