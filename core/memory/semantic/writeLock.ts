/**
 * Runs async sections one at a time, in the order they were asked for. The semantic memory's changes read and
 * write the index across awaits, so two at once (two creations of one fact, a merge beside a rename, extraction
 * beside a user's edit) would each decide on a state the other is changing.
 */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(section);
    // The next section waits for this one whether it succeeds or fails.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
