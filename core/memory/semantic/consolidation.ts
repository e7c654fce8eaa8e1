import type { FactRow } from "../../store/schema.ts";
import { isMultiValued, normaliseName } from "./names.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

/** A fact about to enter memory (typed by the user or read from a turn), its entities already resolved. */
export interface CandidateFact {
  subject: string;
  subjectId: string;
  predicate: string;
  object: string;
  objectId: string | null;
  statement: string;
  /** From when it holds; null: from when it was learned. */
  validFrom: number | null;
  confidence: number;
  origin: FactRow["origin"];
}

/** Cosine similarity above which two statements on the same subject are one fact (when an embedder is present). */
export const duplicateSimilarity = 0.92;

export type Decision =
  /** Already known: the existing fact gains the new provenance. */
  | { kind: "noop"; existing: FactRow }
  /** New: stored active; `supersede` are the current facts it replaces (same subject and predicate). */
  | { kind: "add"; supersede: FactRow[] }
  /**
   * New but outranked: the current fact on that subject and predicate was made or edited by the user (or pinned),
   * or is newer; the candidate is kept, superseded by it, and never overwrites it.
   */
  | { kind: "outranked"; by: FactRow };

/** Whether a fact was made, edited or pinned by the user: extraction never overwrites such a fact. */
export const ownedByUser = (row: FactRow): boolean => row.origin === "user" || row.editedByUser || row.pinned;

/**
 * Decides what a candidate fact does to memory: ADD, SUPERSEDE (ADD with facts to supersede) or NOOP. Only facts on
 * the same subject and predicate are ever superseded. `similarity` gives the embedding similarity of the candidate
 * with a stored fact when an embedder is present (else null).
 */
export function decide(
  index: SemanticIndex,
  candidate: CandidateFact,
  learnedAt: number,
  similarity: (fact: FactRow) => number | null,
): Decision {
  const objectKey = normaliseName(candidate.object);
  const slot = index.factsInSlot(candidate.subjectId, candidate.predicate);
  // A duplicate of a current fact, or of one the user deleted (extraction must not bring it back).
  const isKnown = (row: FactRow) =>
    row.status === "active" || (row.status === "deleted" && candidate.origin === "extracted");
  const sameTriple = slot.find((row) => isKnown(row) && normaliseName(row.object) === objectKey);
  if (sameTriple) return { kind: "noop", existing: sameTriple };
  const sameText = index.factsWithStatement(candidate.statement).find(isKnown);
  if (sameText) return { kind: "noop", existing: sameText };
  for (const row of index.factsAbout(candidate.subjectId)) {
    if (!isKnown(row)) continue;
    const score = similarity(row);
    if (score !== null && score >= duplicateSimilarity) return { kind: "noop", existing: row };
  }
  if (isMultiValued(candidate.predicate)) return { kind: "add", supersede: [] };
  const current = slot.filter((row) => row.status === "active");
  const validFrom = candidate.validFrom ?? learnedAt;
  const outranking = current.find(
    (row) =>
      (candidate.origin === "extracted" && ownedByUser(row)) || (row.validFrom !== null && row.validFrom > validFrom),
  );
  if (outranking) return { kind: "outranked", by: outranking };
  return { kind: "add", supersede: current };
}
