import type { Readable } from "node:stream";
import { BadInputError } from "../errors.ts";
import type { ImportedTurn, SourceEvent } from "./importedConversation.ts";
import { textLines } from "./textLines.ts";

/**
 * A Markdown (or plain text) transcript: turns that start with a speaker label, in any of the forms chat exporters
 * write (`User: hi`, `**Assistant:** hello`, `**Ana**: hi`, `[2024-03-01 10:00] User: hi`, `User (2024-03-01): hi`, or a
 * heading `## User` / `## 🤖 Claude` over the turn's text), each optionally timed. A `# Title` heading names (and
 * starts) a conversation, and a date line under it says when it began. Labels of the two sides of a chat (User,
 * Human, You, Assistant, ChatGPT, Claude, AI...) are always speakers; any other name is one when it labels at least
 * two turns, or one turn marked up the same way (bold, timed, heading) as a speaker's (so "Note: ..." inside an answer
 * is not taken for a speaker), or, when no label recurs at all, when two different ones label turns.
 */

const userLabels = new Set(["user", "human", "you", "me"]);
const assistantLabels = new Set(["assistant", "ai", "chatgpt", "gpt", "gpt-4", "gpt-4o", "claude", "bot", "model"]);
const systemLabels = new Set(["system"]);
/** Words that label a line in prose, a list or an export's header, not a speaker. */
const notSpeakers = new Set(
  [
    "note",
    "notes",
    "example",
    "examples",
    "warning",
    "tip",
    "tips",
    "hint",
    "important",
    "summary",
    "answer",
    "question",
    "solution",
    "result",
    "results",
    "output",
    "input",
    "error",
    "source",
    "sources",
    "update",
    "edit",
    "todo",
    "ps",
    "pros",
    "cons",
    "step",
    "steps",
    "date",
    "time",
    "created",
    "updated",
    "exported",
    "title",
    "url",
    "link",
    "caution",
    "info",
    "conclusion",
    "reason",
    "option",
    "yes",
    "no",
    "q",
    "a",
    "why",
    "how",
    "what",
  ].map((word) => word.toLowerCase()),
);

const bold = String.raw`(?:\*\*|__)?`;
const label = String.raw`(?<label>\p{L}[\p{L}\p{M}\p{N}'’._-]*(?: [\p{L}\p{M}\p{N}'’._-]+){0,2})`;
/** `[time] **Name** (time): text`, every part but the name and colon optional. */
const inlineLabel = new RegExp(
  String.raw`^(?:\[(?<before>[^\]]+)\]\s*)?${bold}${label}${bold}\s*(?:\((?<paren>[^)]+)\)|\[(?<bracket>[^\]]+)\])?\s*${bold}:${bold}(?:\s+(?<text>.*))?$`,
  "u",
);
/** `## Name`, `## 🤖 Name — time`, `### **Name** (time)`: the turn's text follows on the next lines. */
const headingLabel = new RegExp(
  String.raw`^#{2,6}\s+(?:[^\p{L}\s]+\s*)?${bold}${label}${bold}\s*:?\s*(?:[-—–|·,]\s*)?(?:[([]?(?<when>[^)\]]*\d[^)\]]*)[)\]]?)?\s*$`,
  "u",
);
const titleHeading = /^#\s+(?<title>.+?)\s*#*\s*$/u;
const metaLine = /^(?:[*_]*)(?:(?:date|created|started|time)\s*:\s*)?(?<when>[^*_]+?)(?:[*_]*)$/iu;
const fence = /^\s{0,3}(```|~~~)/;
const separator = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/** A loose date: `2024-03-01`, `2024-03-01 10:00[:00]`, ISO 8601, or anything with a year that Date.parse reads. */
export function parseLooseDate(text: string | undefined): number | null {
  if (!text) return null;
  const trimmed = text.trim();
  const numeric =
    /^(\d{4}-\d{2}-\d{2})(?:[ T,]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(trimmed);
  if (numeric) {
    const [, day, time, zone] = numeric;
    const offset = !zone
      ? ""
      : /^(z|utc)$/i.test(zone)
        ? "Z"
        : zone.length === 5
          ? `${zone.slice(0, 3)}:${zone.slice(3)}`
          : zone;
    const at = Date.parse(`${day}T${time ? time.padStart(5, "0") : "00:00"}${offset}`);
    return Number.isFinite(at) ? at : null;
  }
  if (!/\b\d{4}\b/.test(trimmed) || !/\d{1,2}/.test(trimmed.replace(/\b\d{4}\b/, ""))) return null;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? at : null;
}

interface LabelMatch {
  label: string;
  /** How the label is written (heading or inline, bold, timed): speakers of one transcript share it. */
  style: string;
  at: number | null;
  /** Text on the label's own line (inline form); headings have none. */
  text: string | null;
}

function matchLabel(line: string): LabelMatch | null {
  const heading = headingLabel.exec(line);
  if (heading?.groups) {
    const when = heading.groups.when;
    const at = parseLooseDate(when);
    if (when && at === null) return null;
    return {
      label: heading.groups.label!.trim(),
      style: `heading/${/\*\*|__/.test(line)}/${at !== null}`,
      at,
      text: null,
    };
  }
  const inline = inlineLabel.exec(line);
  if (!inline?.groups) return null;
  const when = inline.groups.before ?? inline.groups.paren ?? inline.groups.bracket;
  const at = parseLooseDate(when);
  if (when && at === null) return null; // "Note (important): ..." is prose
  const style = `inline/${/^(?:\[[^\]]*\]\s*)?(?:\*\*|__)/.test(line)}/${at !== null}`;
  return { label: inline.groups.label!.trim(), style, at, text: inline.groups.text ?? "" };
}

/** Who a label names: "user" or "assistant" for the two sides of a chat, else the name as written. */
function speakerOf(label: string): string {
  const key = label.toLowerCase();
  if (userLabels.has(key)) return "user";
  if (assistantLabels.has(key)) return "assistant";
  return label;
}

const isRoleLabel = (label: string) => {
  const key = label.toLowerCase();
  return userLabels.has(key) || assistantLabels.has(key) || systemLabels.has(key);
};

/** First pass: which labels are speakers (see the module comment). */
export async function speakerLabels(lines: AsyncIterable<string>): Promise<Set<string>> {
  const counts = new Map<string, { count: number; styles: Set<string> }>();
  let inFence = false;
  for await (const line of lines) {
    if (fence.test(line)) inFence = !inFence;
    if (inFence) continue;
    const match = matchLabel(line);
    if (!match || notSpeakers.has(match.label.toLowerCase())) continue;
    const entry = counts.get(match.label) ?? { count: 0, styles: new Set<string>() };
    entry.count += 1;
    entry.styles.add(match.style);
    counts.set(match.label, entry);
  }
  const accepted = new Set(
    [...counts].filter(([name, { count }]) => isRoleLabel(name) || count >= 2).map(([name]) => name),
  );
  // A plain "Word:" at a line start is too common in prose to vouch for another label written the same way.
  const speakerStyles = new Set(
    [...accepted].flatMap((name) => [...counts.get(name)!.styles]).filter((style) => style !== "inline/false/false"),
  );
  for (const [name, { styles }] of counts) {
    if ([...styles].some((style) => speakerStyles.has(style))) accepted.add(name);
  }
  if (accepted.size > 0) return accepted;
  // No label recurs: a short dialogue still has two speakers; one label alone is a line of prose.
  return counts.size >= 2 ? new Set(counts.keys()) : new Set();
}

/** Turns are handed on this many at a time. */
const turnsPerEvent = 500;

/** Second pass: the conversations and turns, given the speaker labels the first pass found. */
export class MarkdownTranscriptParser {
  readonly #speakers: Set<string>;
  #title: string | null = null;
  #createdAt: number | null = null;
  #started = false;
  #inFence = false;
  #turn: { speaker: string; at: number | null; lines: string[] } | null = null;
  #pending: ImportedTurn[] = [];
  /** A `# Title` met inside a turn, with the lines after it: a new conversation only if a speaker line follows. */
  #heldTitle: { title: string; lines: string[]; at: number | null } | null = null;
  #turnCount = 0;

  constructor(speakers: Set<string>) {
    this.#speakers = speakers;
  }

  /** Reads one line; returns the events it completes. */
  line(line: string): SourceEvent[] {
    const events: SourceEvent[] = [];
    if (fence.test(line)) this.#inFence = !this.#inFence;
    const match = this.#inFence || fence.test(line) ? null : matchLabel(line);
    const isSpeaker = match !== null && this.#speakers.has(match.label);
    if (this.#heldTitle) {
      const held = this.#heldTitle;
      if (isSpeaker) {
        this.#heldTitle = null;
        this.#finishConversation(events);
        this.#title = held.title;
        this.#createdAt = held.at;
      } else if (!line.trim() || (held.at === null && parseLooseDate(metaLine.exec(line)?.groups?.when) !== null)) {
        held.lines.push(line);
        held.at ??= parseLooseDate(metaLine.exec(line)?.groups?.when);
        return events;
      } else {
        // Not a new conversation after all: the heading belongs to the turn's text.
        this.#heldTitle = null;
        this.#turn?.lines.push(`# ${held.title}`, ...held.lines);
      }
    }
    if (isSpeaker) {
      this.#finishTurn(events);
      this.#turn = { speaker: speakerOf(match.label), at: match.at, lines: match.text ? [match.text] : [] };
      if (systemLabels.has(match.label.toLowerCase())) this.#turn.speaker = "";
      return events;
    }
    const title = this.#inFence ? null : titleHeading.exec(line);
    if (title?.groups) {
      if (this.#turn) {
        this.#heldTitle = { title: title.groups.title!, lines: [], at: null };
      } else if (this.#turnCount === 0) {
        this.#title = title.groups.title!;
      }
      return events;
    }
    if (this.#turn) {
      this.#turn.lines.push(line);
    } else if (this.#createdAt === null) {
      // Before the first turn: a date line says when the conversation began; other lines are an export's header.
      this.#createdAt = parseLooseDate(metaLine.exec(line)?.groups?.when);
    }
    return events;
  }

  /** Ends the input; returns the last events. */
  end(): SourceEvent[] {
    const events: SourceEvent[] = [];
    if (this.#heldTitle) {
      this.#turn?.lines.push(`# ${this.#heldTitle.title}`, ...this.#heldTitle.lines);
      this.#heldTitle = null;
    }
    this.#finishConversation(events);
    return events;
  }

  #finishTurn(events: SourceEvent[]): void {
    const turn = this.#turn;
    this.#turn = null;
    if (!turn || !turn.speaker) return;
    const lines = [...turn.lines];
    while (lines.length > 0 && (!lines.at(-1)!.trim() || separator.test(lines.at(-1)!))) lines.pop();
    const text = lines.join("\n").trim();
    if (!text) return;
    if (!this.#started) {
      events.push({ kind: "conversation", id: null, title: this.#title, createdAt: this.#createdAt, updatedAt: null });
      this.#started = true;
    }
    this.#turnCount += 1;
    this.#pending.push({ speaker: turn.speaker, text, at: turn.at });
    if (this.#pending.length >= turnsPerEvent) {
      events.push({ kind: "turns", turns: this.#pending });
      this.#pending = [];
    }
  }

  #finishConversation(events: SourceEvent[]): void {
    this.#finishTurn(events);
    if (this.#pending.length > 0) events.push({ kind: "turns", turns: this.#pending });
    this.#pending = [];
    this.#started = false;
    this.#title = null;
    this.#createdAt = null;
    this.#turnCount = 0;
  }
}

/**
 * Reads a Markdown transcript in two passes over the text (`open` gives it from the start each time): which labels
 * are speakers, then the turns. A text with no speaker line at all is refused (BadInputError): it is not a transcript.
 */
export async function* readMarkdownTranscript(open: () => Readable): AsyncGenerator<SourceEvent> {
  const speakers = await speakerLabels(textLines(open()));
  if (speakers.size === 0) {
    throw new BadInputError(
      'This is not a chat transcript: no line starts with a speaker, like "User: ..." and "Assistant: ..." (or "**Ana:** ...").',
    );
  }
  const parser = new MarkdownTranscriptParser(speakers);
  let any = false;
  for await (const line of textLines(open())) {
    for (const event of parser.line(line)) {
      any = true;
      yield event;
    }
  }
  for (const event of parser.end()) {
    any = true;
    yield event;
  }
  if (!any) throw new BadInputError("This transcript has speaker labels but no turn with any text.");
}
