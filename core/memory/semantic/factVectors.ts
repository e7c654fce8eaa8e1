import type { Embedder } from "../../model/interfaces.ts";
import type { FactRow } from "../../store/schema.ts";

/**
 * Embeddings of fact statements, in memory, for the current embedder: what the duplicate check (similarity above a
 * threshold) and recall by meaning compare. Facts are few next to turns, so they are embedded again after a start
 * or an embedder change (in the background, see `fill`) rather than stored; until then the statements not yet
 * embedded are found by words and entities only.
 */
export class FactVectors {
  #embedderId: string | null = null;
  /** Fact id -> the statement embedded and its vector (an edited statement is embedded again). */
  readonly #vectors = new Map<string, { statement: string; vector: Float32Array }>();
  #filling: Promise<void> | null = null;

  /** The vector of a fact's current statement, if embedded with this embedder. */
  get(embedder: Embedder, row: FactRow): Float32Array | null {
    if (embedder.id !== this.#embedderId) return null;
    const entry = this.#vectors.get(row.id);
    return entry && entry.statement === row.statement ? entry.vector : null;
  }

  /** Keeps a vector already computed for a fact's statement (a new fact, embedded for its duplicate check). */
  put(embedder: Embedder, row: FactRow, vector: Float32Array): void {
    if (embedder.id !== this.#embedderId) {
      this.#vectors.clear();
      this.#embedderId = embedder.id;
    }
    this.#vectors.set(row.id, { statement: row.statement, vector });
  }

  /** Drops the vectors of facts removed for good. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.#vectors.delete(id);
  }

  /** Embeds the statements of these facts that have no current vector (in batches), and keeps them. */
  async fill(embedder: Embedder, rows: FactRow[], signal?: AbortSignal): Promise<void> {
    if (embedder.id !== this.#embedderId) {
      this.#vectors.clear();
      this.#embedderId = embedder.id;
    }
    const missing = rows.filter((row) => row.status !== "deleted" && !this.get(embedder, row));
    for (let start = 0; start < missing.length; start += 64) {
      if (signal?.aborted) return;
      const batch = missing.slice(start, start + 64);
      const vectors = await embedder.embed(
        batch.map((row) => row.statement),
        signal ? { signal } : undefined,
      );
      batch.forEach((row, i) => this.#vectors.set(row.id, { statement: row.statement, vector: vectors[i]! }));
    }
  }

  /**
   * Starts embedding what has no vector yet, without waiting (recall must not wait for it); one fill at a time.
   * Failures go to `onError`: recall meanwhile works by words and entities.
   */
  fillInBackground(embedder: Embedder, rows: () => FactRow[], onError: (error: unknown) => void): void {
    if (this.#filling) return;
    this.#filling = this.fill(embedder, rows())
      .catch(onError)
      .finally(() => {
        this.#filling = null;
      });
  }

  /** Facts most similar to a vector (dot product: vectors are normalised), best first. */
  nearest(
    embedder: Embedder,
    query: Float32Array,
    rows: Iterable<FactRow>,
    limit: number,
  ): { row: FactRow; similarity: number }[] {
    const scored: { row: FactRow; similarity: number }[] = [];
    for (const row of rows) {
      const vector = this.get(embedder, row);
      if (vector) scored.push({ row, similarity: dot(query, vector) });
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}
