import { z } from "zod";
import type { ChatMessage, ChatModel, JsonSchema } from "../../model/interfaces.ts";
import type { IncomingFact } from "./semanticMemory.ts";

/** A turn to read facts from. */
export interface TurnForFacts {
  episodeId: string;
  messageId: string | null;
  conversationId: string;
  speaker: string;
  role: string;
  text: string;
  at: number;
}

const entityTypes = ["person", "place", "organisation", "date", "thing", "value"] as const;

/**
 * Most facts one call may return, and their lengths: short enough that a 1-4B model stays on task, and that the
 * longest answer the grammar allows fits the call's token limit (every field is bounded: no free number).
 */
const maxFactsPerCall = 4;
const maxPhraseChars = 48;
const maxStatementChars = 120;
const maxAnswerTokens = 1200;
const confidenceLevels = { low: 0.4, medium: 0.7, high: 0.9 } as const;
/** Longest text of one turn the model reads (a pasted document is read by its start). */
const maxTurnChars = 2000;

/**
 * What the model must answer: a list of short facts, each a subject, predicate and object with their types, one
 * sentence, a confidence and, when the turn says when it became true, that date. node-llama-cpp turns this into a
 * grammar, so whatever a small model says parses.
 */
export const factSchema: JsonSchema = {
  type: "object",
  properties: {
    facts: {
      type: "array",
      maxItems: maxFactsPerCall,
      items: {
        type: "object",
        properties: {
          turn: { enum: [1, 2, 3, 4] },
          subject: { type: "string", maxLength: maxPhraseChars },
          subjectType: { enum: [...entityTypes] },
          predicate: { type: "string", maxLength: 32 },
          object: { type: "string", maxLength: maxPhraseChars },
          objectType: { enum: [...entityTypes] },
          statement: { type: "string", maxLength: maxStatementChars },
          confidence: { enum: Object.keys(confidenceLevels) },
          validFrom: { type: "string", maxLength: 10 },
        },
        required: [
          "turn",
          "subject",
          "subjectType",
          "predicate",
          "object",
          "objectType",
          "statement",
          "confidence",
          "validFrom",
        ],
      },
    },
  },
  required: ["facts"],
};

/** The answer checked again here: a model behind an OpenAI-compatible endpoint may ignore the schema. */
const Answer = z.object({
  facts: z.array(
    z.object({
      turn: z.number().optional(),
      subject: z.string(),
      subjectType: z.enum(entityTypes).optional().catch(undefined),
      predicate: z.string(),
      object: z.string(),
      objectType: z.enum(entityTypes).optional().catch(undefined),
      statement: z.string(),
      confidence: z
        .union([z.enum(["low", "medium", "high"]).transform((level) => confidenceLevels[level]), z.number()])
        .optional()
        .catch(undefined),
      validFrom: z.string().optional().catch(undefined),
    }),
  ),
});

const instructions =
  "Extract lasting facts about the people, places and things in the turns below: where someone lives or works, " +
  "relationships, plans, preferences, possessions, events. Skip greetings, questions and small talk; answer " +
  'facts: [] when there is none. For each fact give: turn (its number), subject (a name; "User" for the user), ' +
  'predicate (a few words, e.g. "lives in", "works at", "has pet"), object, their types (person, place, ' +
  "organisation, date, thing, or value for a plain value), statement (one short sentence), confidence (low, " +
  "medium or high), and validFrom (YYYY-MM-DD when the turn says when it became true, else an empty string).";

/**
 * Reads the facts of a few turns in one short grammar-constrained call. Facts with an empty part are dropped (a
 * small model says odd things); each keeps its turn as provenance and holds from when it was said unless the turn
 * gives a date.
 */
export async function extractFacts(
  model: ChatModel,
  turns: TurnForFacts[],
  signal?: AbortSignal,
): Promise<IncomingFact[]> {
  if (turns.length === 0) return [];
  const lines = turns.map((turn, index) => {
    const who = turn.role === "user" ? "User" : turn.speaker;
    const date = new Date(turn.at).toISOString().slice(0, 10);
    return `${index + 1}. [${date}] ${who}: ${turn.text.slice(0, maxTurnChars)}`;
  });
  const messages: ChatMessage[] = [
    { role: "system", content: instructions },
    { role: "user", content: lines.join("\n") },
  ];
  const raw = await model.generateJson(messages, factSchema, {
    signal,
    priority: "background",
    temperature: 0,
    maxTokens: maxAnswerTokens,
  });
  const parsed = Answer.safeParse(raw);
  if (!parsed.success) return [];
  const facts: IncomingFact[] = [];
  for (const fact of parsed.data.facts) {
    const subject = fact.subject.trim();
    const predicate = fact.predicate.trim();
    const object = fact.object.trim();
    const statement = fact.statement.trim() || `${subject} ${predicate} ${object}.`;
    if (!subject || !predicate || !object) continue;
    const turn = turns[Math.round(fact.turn ?? 1) - 1] ?? turns[0]!;
    const speakerName = turn.role === "user" ? "User" : turn.speaker;
    facts.push({
      subject: /^(i|me|myself|speaker)$/i.test(subject) ? speakerName : subject,
      predicate,
      object,
      statement,
      subjectType: fact.subjectType === "value" ? null : (fact.subjectType ?? null),
      objectType: fact.objectType ?? null,
      confidence: Math.min(1, Math.max(0, fact.confidence ?? 0.7)),
      validFrom: parseDay(fact.validFrom),
      sources: [
        {
          episodeId: turn.episodeId,
          conversationId: turn.conversationId,
          ...(turn.messageId ? { messageId: turn.messageId } : {}),
        },
      ],
      learnedAt: turn.at,
    });
  }
  return facts;
}

/** A YYYY-MM-DD day as milliseconds, or null for anything else (an empty string, a model's guess at a format). */
function parseDay(text: string | undefined): number | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}
