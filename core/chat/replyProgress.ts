/** How often a streaming reply's text is saved: a crash loses at most this much of what the user saw stream. */
export const progressSaveIntervalMs = 1000;

/**
 * Saves a streaming reply's text now and then (at most once per interval, one save at a time), so a crash or a kill
 * mid-reply leaves what had streamed on disk; the next start marks it stopped and keeps it. The final text is written
 * by the reply's own `finish`, after the last save (writes to a table run in order).
 */
export class ReplyProgress {
  readonly #save: (text: string) => Promise<void>;
  readonly #intervalMs: number;
  #savedAt = Date.now();
  #saving: Promise<void> | null = null;
  #failed = false;

  constructor(save: (text: string) => Promise<void>, intervalMs = progressSaveIntervalMs) {
    this.#save = save;
    this.#intervalMs = intervalMs;
  }

  /** The reply's text so far; saved if the last save is old enough and none is running. */
  update(text: string): void {
    if (this.#failed || this.#saving || Date.now() - this.#savedAt < this.#intervalMs) return;
    this.#savedAt = Date.now();
    this.#saving = this.#save(text)
      .catch((error: unknown) => {
        // The reply itself goes on; only its crash safety is lost, so say it once and stop trying.
        this.#failed = true;
        console.error(
          `Engram: saving a streaming reply failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => {
        this.#saving = null;
      });
  }

  /** Resolves once no save is running. */
  async settled(): Promise<void> {
    await this.#saving;
  }
}
