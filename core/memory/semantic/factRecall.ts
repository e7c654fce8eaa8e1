import type { Embedder } from "../../model/interfaces.ts";
import type { FactStore } from "../../store/factStore.ts";
import type { FactRow } from "../../store/schema.ts";
import type { FactVectors } from "./factVectors.ts";
import { isSelfName, normaliseName } from "./names.ts";
import { personalizedPageRank } from "./personalizedPageRank.ts";
import type { EdgeAttributes, SemanticIndex } from "./semanticIndex.ts";

export interface RecalledFact {
  fact: FactRow;
  score: number;
}

export interface FactRecallOptions {
  limit: number;
  /** "Now" for the recency of co-occurrence links. */
  now: number;
  embedder?: Embedder | null;
}

/** How the evidence for a fact adds up; superseded facts are still recalled, ranked lower. */
const weights = { fullText: 1, vector: 1, entity: 0.8, graph: 0.6 };
const supersededFactor = 0.5;
const candidatesPerList = 50;
/** Longest n-gram of a question looked up as an entity name ("New York City"). */
const longestName = 4;
/** Half-life of a co-occurrence link's recency in the graph walk: recent company counts more. */
const linkHalfLifeDays = 180;

/**
 * Recall of facts for a question: full-text search over statements (LanceDB BM25), vector similarity of statements
 * when an embedder is present, the entities the question names (by name or alias), and the graph around them
 * (personalised PageRank from those entities, HippoRAG-style), fused into one score per fact.
 */
export class FactRecall {
  readonly #index: SemanticIndex;
  readonly #vectors: FactVectors;
  readonly #store: FactStore;

  constructor(index: SemanticIndex, vectors: FactVectors, store: FactStore) {
    this.#index = index;
    this.#vectors = vectors;
    this.#store = store;
  }

  /** The entities a question names: every n-gram of its words that is an entity's name or alias. */
  entitiesIn(question: string): Map<string, number> {
    const words = normaliseName(question).split(" ").filter(Boolean);
    const found = new Map<string, number>();
    const covered = new Set<number>();
    for (let length = Math.min(longestName, words.length); length >= 1; length -= 1) {
      for (let start = 0; start + length <= words.length; start += 1) {
        if (covered.has(start)) continue;
        const phrase = words.slice(start, start + length).join(" ");
        const ids = this.#index.entityKeys.get(phrase);
        if (!ids) continue;
        // "I" and "my" name the user in almost every question: a weaker seed than a name the question spells out.
        const strength = isSelfName(phrase) ? 0.3 : 1;
        for (const id of ids) {
          const canonical = this.#index.canonical(id);
          found.set(canonical, Math.max(found.get(canonical) ?? 0, strength));
        }
        for (let i = start; i < start + length; i += 1) covered.add(i);
      }
    }
    return found;
  }

  async recall(question: string, options: FactRecallOptions): Promise<RecalledFact[]> {
    const index = this.#index;
    if (index.facts.size === 0) return [];
    // Words only: a question is text, never full-text query syntax.
    const words = normaliseName(question);
    const [fullText, queryVector] = await Promise.all([
      words ? this.#store.searchStatements(words, candidatesPerList) : Promise.resolve([]),
      options.embedder ? options.embedder.embed([question]).then(([vector]) => vector ?? null) : Promise.resolve(null),
    ]);
    const evidence = new Map<string, { fullText: number; vector: number; entity: number; graph: number }>();
    const of = (id: string) => {
      let found = evidence.get(id);
      if (!found) evidence.set(id, (found = { fullText: 0, vector: 0, entity: 0, graph: 0 }));
      return found;
    };
    const best = Math.max(...fullText.map((hit) => hit._score), 0) || 1;
    for (const hit of fullText) if (index.facts.has(hit.id)) of(hit.id).fullText = hit._score / best;

    if (options.embedder) {
      const embedder = options.embedder;
      this.#vectors.fillInBackground(embedder, () => [...index.facts.values()], reportFillError);
    }
    if (options.embedder && queryVector) {
      for (const { row, similarity } of this.#vectors.nearest(
        options.embedder,
        queryVector,
        index.facts.values(),
        candidatesPerList,
      )) {
        of(row.id).vector = Math.max(0, similarity);
      }
    }

    const seeds = this.entitiesIn(question);
    for (const [entity, strength] of seeds) {
      for (const row of index.factsAbout(entity)) of(row.id).entity = Math.max(of(row.id).entity, strength);
    }
    if (seeds.size > 0) {
      const rank = personalizedPageRank(index.adjacency, seeds, {
        restart: 0.25,
        tolerance: 1e-3,
        maxPushes: 64,
        weight: (attributes) => edgeWeight(attributes, options.now),
      });
      const top = [...rank].sort((a, b) => b[1] - a[1]).slice(0, 20);
      const highest = top[0]?.[1] ?? 1;
      for (const [node, value] of top) {
        if (seeds.has(node) || !index.entities.has(node)) continue;
        for (const row of index.factsAbout(node)) of(row.id).graph = Math.max(of(row.id).graph, value / highest);
      }
    }

    const scored: RecalledFact[] = [];
    for (const [id, found] of evidence) {
      const fact = index.facts.get(id);
      if (!fact || fact.status === "deleted") continue;
      const score =
        (weights.fullText * found.fullText +
          weights.vector * found.vector +
          weights.entity * found.entity +
          weights.graph * found.graph) *
        (fact.status === "superseded" ? supersededFactor : 1);
      if (score > 0) scored.push({ fact, score });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, options.limit);
  }
}

function reportFillError(error: unknown): void {
  console.error("Engram could not embed facts for recall by meaning:", error);
}

/** An edge's pull in the graph walk: current facts and the user's links fully, co-occurrence by count and recency. */
function edgeWeight(attributes: EdgeAttributes, now: number): number {
  if (attributes.kind === "fact") return attributes.status === "active" ? 1 : 0;
  if (attributes.kind === "user") return 1;
  const ageDays = Math.max(0, now - (attributes.lastAt ?? now)) / 86_400_000;
  return Math.log1p(attributes.weight) * (0.5 + 0.5 * 2 ** (-ageDays / linkHalfLifeDays));
}
