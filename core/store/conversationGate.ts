import { NotFoundError } from "../errors.ts";

interface Writers {
  count: number;
  /** Aborted when a delete waits for these writes: long ones (a summary by the model) stop early. */
  controller: AbortController;
  idle: (() => void)[];
}

/**
 * Who may still write to a conversation while it is being deleted, so that a deletion takes everything of it.
 *
 * Writes to a conversation (ingest, its background jobs) run alongside each other through `write`. A delete goes in
 * two steps. First the conversation is closed to callers (`isClosed`: the conversation store answers "not found" to
 * a lookup, a rename or a touch from then on), and the work already under way is let finish (a streaming reply stops
 * and stores what it said). Then it is sealed: `write` refuses it, writes in flight are asked to stop and awaited,
 * and only then is everything of the conversation removed. A conversation deleted stays refused for the session;
 * after a restart its row is gone, so lookups refuse it anyway.
 */
export class ConversationGate {
  readonly #closed = new Set<string>();
  readonly #sealed = new Set<string>();
  readonly #writers = new Map<string, Writers>();

  /** True from the moment a delete of the conversation starts (and for good once it succeeded). */
  isClosed(conversationId: string): boolean {
    return this.#closed.has(conversationId);
  }

  /** Throws the conversation's not-found error once a delete of it has started. */
  assertOpen(conversationId: string): void {
    if (this.#closed.has(conversationId)) throw new NotFoundError("Conversation", conversationId);
  }

  /**
   * Runs a write to a conversation. Refused with not_found once the conversation is sealed for deletion; otherwise
   * the delete waits for it. `signal` aborts when a delete starts waiting, so a long write can stop early (what it
   * wrote is removed with the rest).
   */
  async write<T>(conversationId: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#sealed.has(conversationId)) throw new NotFoundError("Conversation", conversationId);
    let writers = this.#writers.get(conversationId);
    if (!writers) {
      writers = { count: 0, controller: new AbortController(), idle: [] };
      this.#writers.set(conversationId, writers);
    }
    writers.count += 1;
    try {
      return await operation(writers.controller.signal);
    } finally {
      writers.count -= 1;
      if (writers.count === 0) {
        this.#writers.delete(conversationId);
        for (const resolve of writers.idle.splice(0)) resolve();
      }
    }
  }

  /**
   * Deletes a conversation: closes it, runs `settle` (stop what is streaming into it; its writes still go through),
   * seals it and waits for the writes in flight, then runs `remove`. A second delete of the same conversation is
   * refused with not_found. If a step fails the conversation opens again (its row is removed last, so it is still
   * there to delete again).
   */
  async delete(
    conversationId: string,
    steps: { settle: () => Promise<void>; remove: () => Promise<void> },
  ): Promise<void> {
    this.assertOpen(conversationId);
    this.#closed.add(conversationId);
    try {
      await steps.settle();
      this.#sealed.add(conversationId);
      const writers = this.#writers.get(conversationId);
      if (writers) {
        writers.controller.abort(new NotFoundError("Conversation", conversationId));
        await new Promise<void>((resolve) => writers.idle.push(resolve));
      }
      await steps.remove();
    } catch (error) {
      this.#closed.delete(conversationId);
      this.#sealed.delete(conversationId);
      throw error;
    }
  }
}
