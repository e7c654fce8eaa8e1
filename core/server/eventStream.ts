import type { ServerResponse } from "node:http";
import type { EventName } from "../api/index.ts";
import type { EngineLike } from "./engineLike.ts";

/** Formats one server-sent event. JSON never contains a raw newline, so the data fits on one `data:` line. */
export function formatServerSentEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload ?? null)}\n\n`;
}

/**
 * Fans the engine's events out to every open event stream (`GET /api/events`). One subscription to the engine is
 * shared by all clients; a comment line every `heartbeatMs` keeps idle connections from being timed out by proxies
 * and lets the server notice clients that went away.
 */
export class EventStreamHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(events: EngineLike["events"], options: { heartbeatMs?: number } = {}) {
    this.#unsubscribe = events.onAny((name: EventName, payload: unknown) => this.#broadcast(name, payload));
    this.#heartbeat = setInterval(() => this.#write(": heartbeat\n\n"), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Turns `response` into an event stream and keeps it until the client disconnects or the hub is disposed. */
  open(response: ServerResponse, extraHeaders: Readonly<Record<string, string>>): void {
    response.writeHead(200, {
      ...extraHeaders,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      // Tells a reverse proxy in front of a home server not to buffer the stream.
      "X-Accel-Buffering": "no",
    });
    // The comment flushes the headers at once, so the client knows it is subscribed before any event happens.
    response.write(": connected\n\n");
    this.#clients.add(response);
    response.on("close", () => this.#clients.delete(response));
  }

  #broadcast(name: EventName, payload: unknown): void {
    this.#write(formatServerSentEvent(name, payload));
  }

  #write(chunk: string): void {
    for (const client of this.#clients) {
      if (client.writableEnded || client.destroyed) this.#clients.delete(client);
      else client.write(chunk);
    }
  }

  /** Ends every stream and unsubscribes from the engine. */
  dispose(): void {
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}
