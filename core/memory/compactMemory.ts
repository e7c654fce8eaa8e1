import type { ChatModel, JsonSchema } from "../model/interfaces.ts";
import type { SummaryRow } from "../store/schema.ts";
import { conversationSummaryId, profileSummaryId, type SummaryStore } from "../store/summaryStore.ts";

export interface TurnText {
  speaker: string;
  text: string;
}

/** The compact memory at the top of a prompt, with the ids of the summaries it came from. */
export interface CompactForPrompt {
  profile: string;
  digest: string;
  summary: string;
  ids: string[];
}

/** Longest stretch of new turns one summary call reads: small local models have small contexts. */
const maxCharsPerCall = 6000;
/** Longest summary kept, so the compact memory at the top of every prompt stays compact. */
const maxSummaryChars = 600;
/**
 * The summary call's token limit. The grammar stops the summary at maxSummaryChars, and a token adds at least one
 * character, so the longest reply the grammar allows (with its `{"summary": ""}` around it) closes within it, unless
 * it is full of escapes (`\u00e9` is one character of six). A small model that rambles gets a summary cut by the
 * grammar instead of a reply cut off mid-string, which failed the job.
 */
const maxSummaryTokens = maxSummaryChars + 32;

export const summarySchema: JsonSchema = {
  type: "object",
  properties: { summary: { type: "string", maxLength: maxSummaryChars } },
  required: ["summary"],
};

/**
 * HEMA compact memory. Per conversation a running one-sentence summary S_t = summarize(S_{t-1}, new turns); every
 * `digestEvery` turns the running summary is folded into a digest (a summary of summaries) and starts afresh, so a
 * long conversation keeps two short levels; and one global profile of the user across conversations. Each update is
 * one short JSON-constrained model call per chunk of turns.
 */
export class CompactMemory {
  readonly #summaries: SummaryStore;

  constructor(summaries: SummaryStore) {
    this.#summaries = summaries;
  }

  /** Folds new turns into the conversation's running summary (and into a new digest when one is due). */
  async updateConversation(
    model: ChatModel,
    conversationId: string,
    turns: TurnText[],
    options: { digestEvery: number; now: number; signal?: AbortSignal },
  ): Promise<SummaryRow> {
    const id = conversationSummaryId(conversationId);
    let current = (await this.#summaries.get(id)) ?? {
      id,
      kind: "conversation" as const,
      conversationId,
      text: "",
      turnCount: 0,
      updatedAt: options.now,
      editedByUser: false,
    };
    for (const chunk of chunkTurns(turns)) {
      const text = await summarize(
        model,
        "Update the running summary of this conversation with the new turns. Reply with one sentence that keeps " +
          "what matters for later: names, facts about the user, decisions, open tasks.",
        current.text,
        chunk,
        options.signal,
      );
      current = { ...current, text, turnCount: current.turnCount + chunk.length, updatedAt: options.now };
      const digestsDue = Math.floor(current.turnCount / options.digestEvery);
      const digests = await this.#summaries.digests(conversationId);
      if (digestsDue > digests.length) {
        const previous = digests.at(-1)?.text ?? "";
        const digestText = await summarize(
          model,
          "Merge the earlier digest and the latest summary of this conversation into one or two sentences.",
          previous,
          [{ speaker: "latest summary", text: current.text }],
          options.signal,
        );
        await this.#summaries.put({
          id: `digest_${conversationId}_${digestsDue}`,
          kind: "digest",
          conversationId,
          text: digestText,
          turnCount: current.turnCount,
          updatedAt: options.now,
          editedByUser: false,
        });
        // The digest now carries what the running summary knew; the running one covers only newer turns.
        current = { ...current, text: "" };
      }
      await this.#summaries.put(current);
    }
    return current;
  }

  /** Folds what the user said into the global profile (who they are, what they like, what they are doing). */
  async updateProfile(
    model: ChatModel,
    userTurns: TurnText[],
    options: { now: number; signal?: AbortSignal },
  ): Promise<SummaryRow> {
    let current = (await this.#summaries.get(profileSummaryId)) ?? {
      id: profileSummaryId,
      kind: "profile" as const,
      conversationId: null,
      text: "",
      turnCount: 0,
      updatedAt: options.now,
      editedByUser: false,
    };
    for (const chunk of chunkTurns(userTurns)) {
      const text = await summarize(
        model,
        "Update this profile of the user with anything the new messages reveal about them (name, people, places, " +
          "work, preferences, plans). Keep it to two or three sentences; keep what is still true.",
        current.text,
        chunk,
        options.signal,
      );
      current = { ...current, text, turnCount: current.turnCount + chunk.length, updatedAt: options.now };
      await this.#summaries.put(current);
    }
    return current;
  }

  /** The compact memory a prompt starts with for a conversation. */
  async forPrompt(conversationId: string | null): Promise<CompactForPrompt> {
    const { profile, conversation: summary, digests } = await this.#summaries.ofConversation(conversationId);
    const digest = digests.at(-1);
    return {
      profile: profile?.text ?? "",
      digest: digest?.text ?? "",
      summary: summary?.text ?? "",
      ids: [profile, digest, summary].filter((row): row is SummaryRow => Boolean(row?.text)).map((row) => row.id),
    };
  }
}

async function summarize(
  model: ChatModel,
  instruction: string,
  previous: string,
  turns: TurnText[],
  signal?: AbortSignal,
): Promise<string> {
  const transcript = turns.map((turn) => `${turn.speaker}: ${turn.text}`).join("\n");
  const reply = await model.generateJson(
    [
      { role: "system", content: `${instruction} Answer as JSON {"summary": "..."}.` },
      { role: "user", content: `Current: ${previous || "(empty)"}\n\nNew:\n${transcript}` },
    ],
    summarySchema,
    { priority: "background", maxTokens: maxSummaryTokens, temperature: 0, ...(signal ? { signal } : {}) },
  );
  const text = typeof reply === "object" && reply && "summary" in reply ? String(reply.summary).trim() : "";
  // A model that returns nothing keeps the previous summary rather than erasing it.
  return (text || previous).slice(0, maxSummaryChars);
}

/** Splits turns into chunks one summary call can read, cutting very long single turns. */
export function chunkTurns(turns: TurnText[]): TurnText[][] {
  const chunks: TurnText[][] = [];
  let current: TurnText[] = [];
  let size = 0;
  for (const turn of turns) {
    const text = turn.text.length > maxCharsPerCall / 2 ? `${turn.text.slice(0, maxCharsPerCall / 2)}…` : turn.text;
    if (current.length > 0 && size + text.length > maxCharsPerCall) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push({ speaker: turn.speaker, text });
    size += text.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
