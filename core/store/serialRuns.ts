/**
 * Runs async steps one at a time per key, in the order they were asked for. A step starts only when every earlier
 * step of its key has settled (a failed step does not block the next). Keys with nothing queued cost nothing.
 */
export class SerialRuns {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Queues `step` behind the earlier steps of `key`; resolves or rejects with its result. */
  run<T>(key: string, step: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(step);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, settled);
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every step queued so far (of every key) has settled. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
