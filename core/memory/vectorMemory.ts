import { Field, FixedSizeList, Float32, Schema, Utf8 } from "apache-arrow";
import type { Database } from "../store/database.ts";
import { plainRows } from "../store/plainRows.ts";
import { eq, isIn } from "../store/sql.ts";
import type { Embedder } from "../model/interfaces.ts";

/** Table name of one embedder's vectors: each embedder has its own, so switching never mixes vector spaces. */
export function vectorTableName(embedderId: string): string {
  return `vectors_${embedderId.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
}

interface VectorRow {
  id: string;
  conversationId: string;
  embedderId: string;
  vector: number[];
}

/**
 * Embeddings of episodes, one table per embedder. The episode rows stay the source of truth; a vector table can be
 * dropped and rebuilt (re-embedding in the background) whenever the embedder changes.
 */
export class VectorMemory {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async #table(embedder: Embedder, create: boolean) {
    const name = vectorTableName(embedder.id);
    if (!(await this.#db.hasTable(name))) {
      if (!create) return null;
      const schema = new Schema([
        new Field("id", new Utf8(), false),
        new Field("conversationId", new Utf8(), false),
        new Field("embedderId", new Utf8(), false),
        new Field("vector", new FixedSizeList(embedder.dimensions, new Field("item", new Float32(), true)), false),
      ]);
      await this.#db.connection.createEmptyTable(name, schema, { existOk: true });
    }
    return this.#db.table<VectorRow>(name);
  }

  /** Embeds and stores the given episodes (ids already embedded are skipped). */
  async add(embedder: Embedder, episodes: { id: string; conversationId: string; text: string }[]): Promise<void> {
    if (episodes.length === 0) return;
    const table = await this.#table(embedder, true);
    if (!table) return;
    const present = new Set(
      (
        (await table.table
          .query()
          .where(
            isIn(
              "id",
              episodes.map((e) => e.id),
            ),
          )
          .select(["id"])
          .toArray()) as { id: string }[]
      ).map((row) => row.id),
    );
    const missing = episodes.filter((episode) => !present.has(episode.id));
    if (missing.length === 0) return;
    const vectors = await embedder.embed(missing.map((episode) => episode.text));
    await table.append(
      missing.map((episode, i) => ({
        id: episode.id,
        conversationId: episode.conversationId,
        embedderId: embedder.id,
        vector: Array.from(vectors[i] ?? []),
      })),
    );
  }

  /** Ids of the episodes an embedder has vectors for (none if it never embedded anything). */
  async embeddedIds(embedderId: string): Promise<Set<string>> {
    const name = vectorTableName(embedderId);
    if (!(await this.#db.hasTable(name))) return new Set();
    const table = await this.#db.table<VectorRow>(name);
    return new Set(plainRows<{ id: string }>(await table.table.query().select(["id"]).toArrow()).map((row) => row.id));
  }

  /** Nearest episodes to a query by cosine similarity (vectors are normalised, so distance "dot"). */
  async search(embedder: Embedder, query: string, limit: number): Promise<{ id: string; similarity: number }[]> {
    const table = await this.#table(embedder, false);
    if (!table) return [];
    const [vector] = await embedder.embed([query]);
    if (!vector) return [];
    const rows = (await table.table
      .vectorSearch(Array.from(vector))
      .distanceType("dot")
      // Naming _distance keeps it in the result without LanceDB's deprecation warning.
      .select(["id", "_distance"])
      .limit(limit)
      .toArray()) as { id: string; _distance: number }[];
    return rows.map((row) => ({ id: row.id, similarity: 1 - row._distance }));
  }

  /** Deletes a conversation's vectors from every embedder's table, not only the current one's. */
  async deleteByConversation(conversationId: string): Promise<void> {
    const names = (await this.#db.connection.tableNames()).filter((name) => name.startsWith("vectors_"));
    for (const name of names) {
      const table = await this.#db.table<VectorRow>(name);
      await table.write((t) => t.delete(eq("conversationId", conversationId)));
    }
  }

  /** Deletes the vectors of these episodes from every embedder's table. */
  async deleteByIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const names = (await this.#db.connection.tableNames()).filter((name) => name.startsWith("vectors_"));
    for (const name of names) {
      const table = await this.#db.table<VectorRow>(name);
      await table.write((t) => t.delete(isIn("id", ids)));
    }
  }

  async count(embedder: Embedder): Promise<number> {
    const table = await this.#table(embedder, false);
    return table ? table.table.countRows() : 0;
  }
}
