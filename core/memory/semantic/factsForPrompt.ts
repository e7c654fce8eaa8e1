import type { FactRow } from "../../store/schema.ts";

/** A recalled fact as the prompt shows it. */
export interface PromptFact {
  id: string;
  statement: string;
  status: FactRow["status"];
  validFrom: number | null;
  validTo: number | null;
}

/** The heading of the prompt's facts section. */
export const factsHeader = "Facts you know (current first; dates say since when, and until when for past ones):";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The lines of the facts section, in the order they are offered to the budget: current facts first, then the ones
 * that no longer hold (marked so, with the dates they held), each group in recall's order.
 */
export function factLines(facts: PromptFact[]): { id: string; line: string }[] {
  const current = facts.filter((fact) => fact.status === "active");
  const past = facts.filter((fact) => fact.status === "superseded");
  return [
    ...current.map((fact) => ({
      id: fact.id,
      line: `- ${fact.validFrom !== null ? `[since ${day(fact.validFrom)}] ` : ""}${fact.statement}`,
    })),
    ...past.map((fact) => ({
      id: fact.id,
      line: `- [no longer true${fact.validFrom !== null ? `; from ${day(fact.validFrom)}` : ""}${
        fact.validTo !== null ? ` until ${day(fact.validTo)}` : ""
      }] ${fact.statement}`,
    })),
  ];
}

/** Facts as the prompt takes them. */
export const toPromptFact = (row: FactRow): PromptFact => ({
  id: row.id,
  statement: row.statement,
  status: row.status,
  validFrom: row.validFrom,
  validTo: row.validTo,
});
