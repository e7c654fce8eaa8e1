import type { Reply, Transport } from "./transport.ts";
import { ServerSentEventParser } from "./serverSentEvents.ts";

export interface HttpTransportOptions {
  /** The server's origin, e.g. http://127.0.0.1:4123 (the page's own origin in practice). */
  origin: string;
  token: string;
  /** Called after the event stream reconnects, since events sent while it was down are lost: views reload. */
  onReconnect?: () => void;
  fetch?: typeof fetch;
}

/**
 * The headless server as a transport: `POST /api/<method>` for calls, and one `GET /api/events` stream shared by all
 * subscriptions. The stream is read with fetch() rather than EventSource so the token travels in the Authorization
 * header like every other request, never in a URL. It reconnects with backoff while anyone is subscribed.
 */
export class HttpTransport implements Transport {
  readonly kind = "headless";
  readonly #options: HttpTransportOptions;
  readonly #fetch: typeof fetch;
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();
  #stream: AbortController | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;
  /** Whether the current connection attempt got through, so backoff restarts after a healthy stream drops. */
  #connected = false;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch.bind(globalThis);
  }

  async call(method: string, input: unknown): Promise<Reply> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#options.origin}/api/${encodeURIComponent(method)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.#options.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(input ?? {}),
      });
    } catch (error) {
      const message = `Cannot reach Engram: ${(error as Error).message}. Is \`npm run serve\` still running?`;
      return { ok: false, error: { code: "internal", message } };
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (!contentType.startsWith("application/json")) {
      return { ok: false, error: { code: "internal", message: `Unexpected reply (HTTP ${response.status}).` } };
    }
    return (await response.json()) as Reply;
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!this.#stream && !this.#retryTimer) this.#connect(0);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(event);
    };
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#stream?.abort();
    this.#stream = null;
    this.#listeners.clear();
  }

  #connect(attempt: number): void {
    this.#retryTimer = null;
    if (this.#disposed) return;
    const controller = new AbortController();
    this.#stream = controller;
    this.#read(controller.signal, attempt)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) console.warn("Engram: event stream interrupted:", error);
      })
      .finally(() => {
        if (this.#stream !== controller || this.#disposed) return;
        this.#stream = null;
        const next = this.#connected ? 1 : attempt + 1;
        this.#connected = false;
        this.#retryTimer = setTimeout(() => this.#connect(next), Math.min(30_000, 500 * 2 ** (next - 1)));
      });
  }

  async #read(signal: AbortSignal, attempt: number): Promise<void> {
    const response = await this.#fetch(`${this.#options.origin}/api/events`, {
      headers: { Authorization: `Bearer ${this.#options.token}`, Accept: "text/event-stream" },
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    this.#connected = true;
    if (attempt > 0) this.#options.onReconnect?.();
    const parser = new ServerSentEventParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const { event, data } of parser.push(decoder.decode(value, { stream: true }))) {
        const payload: unknown = JSON.parse(data);
        for (const listener of this.#listeners.get(event) ?? []) listener(payload);
      }
    }
  }
}
