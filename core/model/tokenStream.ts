/**
 * Coalesces streamed text pieces into fewer messages. The first piece goes out at once (time to first token is what
 * the user feels); after that, pieces arriving within `intervalMs` of the last message are sent together. A small
 * model produces hundreds of tokens a second, and one IPC message (and one UI event) per token costs the host and the
 * app CPU that generation needs, while nobody reads faster than a screen refresh. A slow model's tokens, each more
 * than `intervalMs` apart, still go out one by one, immediately.
 */
export class TokenStream {
  readonly #send: (text: string) => void;
  readonly #intervalMs: number;
  #buffer = "";
  #lastSentAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (text: string) => void, intervalMs: number) {
    this.#send = send;
    this.#intervalMs = intervalMs;
  }

  push(text: string): void {
    this.#buffer += text;
    const sinceLast = performance.now() - this.#lastSentAt;
    if (sinceLast >= this.#intervalMs) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs - sinceLast);
  }

  /** Sends what is buffered now; call it before the final reply so every piece arrives before the result. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#buffer) return;
    const text = this.#buffer;
    this.#buffer = "";
    this.#lastSentAt = performance.now();
    this.#send(text);
  }
}
