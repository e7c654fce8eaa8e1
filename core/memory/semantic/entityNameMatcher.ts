import type { Embedder } from "../../model/interfaces.ts";
import { dot } from "./factVectors.ts";
import type { FoundEntity } from "./entityExtraction.ts";
import { normaliseName } from "./names.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

/** Cosine similarity above which a new name is taken for another way of writing a known entity of the same type. */
export const sameEntitySimilarity = 0.92;

/**
 * Entity resolution by meaning, when an embedder is present: a name no entity carries yet is compared with the names
 * of known entities of the same type, and one close enough is taken as an alias ("NYC" for "New York City", with an
 * embedder that knows it). Names are embedded once and kept in memory; dates are never matched this way.
 */
export class EntityNameMatcher {
  #embedderId: string | null = null;
  readonly #vectors = new Map<string, Float32Array>();

  /** For each found name that no entity carries, the known entity it is close enough to, by normalised name. */
  async match(embedder: Embedder, index: SemanticIndex, found: FoundEntity[]): Promise<Map<string, string>> {
    if (embedder.id !== this.#embedderId) {
      this.#vectors.clear();
      this.#embedderId = embedder.id;
    }
    const unknown = new Map<string, FoundEntity>();
    for (const entity of found) {
      const key = normaliseName(entity.name);
      if (entity.type !== "date" && key && index.entitiesNamed(entity.name).length === 0) unknown.set(key, entity);
    }
    const matches = new Map<string, string>();
    if (unknown.size === 0) return matches;
    const known = [...index.entities.values()].filter((row) => !row.mergedInto && row.type !== "date");
    await this.#embed(embedder, [...unknown.keys(), ...known.map((row) => normaliseName(row.name))]);
    for (const [key, entity] of unknown) {
      const vector = this.#vectors.get(key)!;
      let best: { id: string; similarity: number } | null = null;
      for (const row of known) {
        if (row.type !== entity.type) continue;
        const other = this.#vectors.get(normaliseName(row.name));
        if (!other) continue;
        const similarity = dot(vector, other);
        if (similarity >= sameEntitySimilarity && (!best || similarity > best.similarity))
          best = { id: row.id, similarity };
      }
      if (best) matches.set(key, best.id);
    }
    return matches;
  }

  async #embed(embedder: Embedder, names: string[]): Promise<void> {
    const missing = [...new Set(names)].filter((name) => name && !this.#vectors.has(name));
    for (let start = 0; start < missing.length; start += 64) {
      const batch = missing.slice(start, start + 64);
      const vectors = await embedder.embed(batch);
      batch.forEach((name, i) => this.#vectors.set(name, vectors[i]!));
    }
  }
}
