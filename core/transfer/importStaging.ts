import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import type { ImportSource, SourceEvent } from "./importedConversation.ts";
import { textLines } from "./textLines.ts";

/** One turn ready to store: speaker, text and a time that keeps the conversation's order. */
export interface StagedTurn {
  speaker: string;
  text: string;
  at: number;
}

/** A conversation read whole and checked, its turns in the staging file. */
export interface StagedConversation {
  /** The idempotency key: source and the source's own id, or source and a hash of the turns. */
  key: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turnCount: number;
  /** sha256 of the turns as the source gave them. */
  contentHash: string;
  /** How many lines of the staging file hold its turns. */
  chunks: number;
}

/** A run of turns of one conversation, in order; `first` and `last` say where it sits in the conversation. */
export interface StagedPiece {
  conversation: StagedConversation;
  turns: StagedTurn[];
  first: boolean;
  last: boolean;
}

/** Longest title taken from a first message. */
const titleLength = 60;
/** Turns per line of the staging file. */
const turnsPerChunk = 500;

/**
 * The first pass of an import: every conversation of the source is read, checked and reduced to what will be stored
 * (the turns of the branch kept, with times) in a scratch file in the data folder, before anything is written to the
 * database. A source that fails anywhere is refused whole and the scratch file removed; one that passes is read back
 * from the scratch file (fast: plain JSON lines) by the second pass, which writes it.
 */
export class ImportStaging {
  readonly path: string;
  readonly conversations: StagedConversation[] = [];
  #out: WriteStream;

  private constructor(path: string) {
    this.path = path;
    this.#out = createWriteStream(path, { encoding: "utf8" });
  }

  /** A new, empty staging file in `directory` (made if missing). */
  static async create(directory: string): Promise<ImportStaging> {
    await mkdir(directory, { recursive: true });
    return new ImportStaging(join(directory, `${Date.now().toString(36)}${randomBytes(6).toString("hex")}.staging`));
  }

  /** Reads every event of a source into the staging file; throws the source's BadInputError, if any. */
  async stage(
    source: ImportSource,
    events: AsyncIterable<SourceEvent>,
    options: { now: number; signal?: AbortSignal },
  ): Promise<void> {
    let current: ConversationDraft | null = null;
    for await (const event of events) {
      options.signal?.throwIfAborted();
      if (event.kind === "conversation") {
        if (current) this.conversations.push(current.finish(source, options.now));
        current = new ConversationDraft(event);
        continue;
      }
      if (!current) continue;
      for (let start = 0; start < event.turns.length; start += turnsPerChunk) {
        const staged = current.add(event.turns.slice(start, start + turnsPerChunk), options.now);
        if (!this.#out.write(`${JSON.stringify(staged)}\n`)) await once(this.#out, "drain");
      }
    }
    if (current) this.conversations.push(current.finish(source, options.now));
    this.#out.end();
    await once(this.#out, "finish");
  }

  /** The staged conversations with their turns, in order, a piece (up to 500 turns) at a time. */
  async *read(): AsyncGenerator<StagedPiece> {
    const lines = textLines(createReadStream(this.path))[Symbol.asyncIterator]();
    for (const conversation of this.conversations) {
      if (conversation.chunks === 0) {
        yield { conversation, turns: [], first: true, last: true };
        continue;
      }
      for (let chunk = 0; chunk < conversation.chunks; chunk += 1) {
        const next = await lines.next();
        if (next.done) throw new Error(`The import's staging file ${this.path} ended early.`);
        const turns = (JSON.parse(next.value) as [string, string, number][]).map(([speaker, text, at]) => ({
          speaker,
          text,
          at,
        }));
        yield { conversation, turns, first: chunk === 0, last: chunk === conversation.chunks - 1 };
      }
    }
    await lines.return?.(undefined);
  }

  /** Removes the staging file. */
  async dispose(): Promise<void> {
    if (!this.#out.closed) {
      this.#out.destroy();
      await once(this.#out, "close").catch(() => undefined);
    }
    await rm(this.path, { force: true });
  }
}

/** A conversation being staged: its turns' times made increasing, its hash and title gathered as it goes. */
class ConversationDraft {
  readonly #start: Extract<SourceEvent, { kind: "conversation" }>;
  readonly #hash = createHash("sha256");
  #turnCount = 0;
  #chunks = 0;
  #firstAt: number | null = null;
  #lastAt: number | null = null;
  #firstUserText: string | null = null;
  #firstText: string | null = null;

  constructor(start: Extract<SourceEvent, { kind: "conversation" }>) {
    this.#start = start;
  }

  /**
   * Turns as they will be stored: [speaker, text, at]. A turn without a time, or with one earlier than the turn
   * before it (an edited branch), gets the previous turn's time plus a millisecond, so a transcript always reads in
   * the order it was said.
   */
  add(turns: { speaker: string; text: string; at: number | null }[], now: number): [string, string, number][] {
    this.#chunks += 1;
    return turns.map((turn) => {
      this.#hash.update(JSON.stringify([turn.speaker, turn.text, turn.at]));
      this.#hash.update("\n");
      this.#turnCount += 1;
      const previous = this.#lastAt;
      const at =
        previous === null
          ? Math.round(turn.at ?? this.#start.createdAt ?? now)
          : Math.max(Math.round(turn.at ?? previous + 1), previous + 1);
      this.#firstAt ??= at;
      this.#lastAt = at;
      this.#firstText ??= turn.text;
      if (this.#firstUserText === null && turn.speaker === "user") this.#firstUserText = turn.text;
      return [turn.speaker, turn.text, at];
    });
  }

  finish(source: ImportSource, now: number): StagedConversation {
    const contentHash = this.#hash.digest("hex");
    const createdAt = Math.round(this.#start.createdAt ?? this.#firstAt ?? now);
    return {
      key: this.#start.id ? `${source}:${this.#start.id}` : `${source}:sha256:${contentHash}`,
      title: this.#start.title?.trim() || titleFrom(this.#firstUserText ?? this.#firstText) || "Imported conversation",
      createdAt,
      updatedAt: Math.max(createdAt, Math.round(this.#start.updatedAt ?? this.#lastAt ?? createdAt)),
      turnCount: this.#turnCount,
      contentHash,
      chunks: this.#chunks,
    };
  }
}

function titleFrom(text: string | null): string | null {
  const line = text?.trim().split("\n")[0]?.trim();
  if (!line) return null;
  return line.length <= titleLength ? line : `${line.slice(0, titleLength - 1).trimEnd()}…`;
}
