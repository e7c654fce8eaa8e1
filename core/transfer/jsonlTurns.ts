import type { Readable } from "node:stream";
import { z } from "zod";
import { Timestamp } from "../api/index.ts";
import { describeSchemaError } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import { parseDate, type ImportedTurn, type SourceEvent } from "./importedConversation.ts";
import { textLines } from "./textLines.ts";

/** One line of a JSONL transcript: who spoke, what, and optionally when (ISO 8601). Other fields are ignored. */
export const JsonlTurn = z.object({
  speaker: z.string().trim().min(1).max(200),
  text: z.string().refine((text) => text.trim().length > 0, "empty"),
  at: Timestamp.optional(),
});

/** Turns are handed on this many at a time, so a file of a million lines is never held whole. */
const turnsPerEvent = 500;

/**
 * Reads JSONL turns (one `{ speaker, text, at? }` a line, blank lines ignored) as one conversation; refuses the file
 * whole (BadInputError naming the line) if any line is not such an object, as a line cut short by truncation is not.
 */
export async function* readJsonlTurns(input: Readable): AsyncGenerator<SourceEvent> {
  let lineNumber = 0;
  let pending: ImportedTurn[] = [];
  let any = false;
  for await (const line of textLines(input)) {
    lineNumber += 1;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BadInputError(`Line ${lineNumber} of this JSONL file is not JSON (cut short or damaged): ${reason}.`);
    }
    const parsed = JsonlTurn.safeParse(value);
    if (!parsed.success) {
      const hint = Array.isArray(value) ? " (a JSON list: is this a ChatGPT or Claude export?)" : "";
      throw new BadInputError(
        `Line ${lineNumber} of this JSONL file is not a turn { speaker, text, at? }${hint}: ${describeSchemaError(parsed.error)}.`,
      );
    }
    if (!any) yield { kind: "conversation", id: null, title: null, createdAt: null, updatedAt: null };
    any = true;
    pending.push({ speaker: parsed.data.speaker, text: parsed.data.text.trim(), at: parseDate(parsed.data.at) });
    if (pending.length >= turnsPerEvent) {
      yield { kind: "turns", turns: pending };
      pending = [];
    }
  }
  if (!any) throw new BadInputError("This JSONL file has no turns.");
  if (pending.length > 0) yield { kind: "turns", turns: pending };
}
