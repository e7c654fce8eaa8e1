import { createReadStream } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline, Readable, Transform } from "node:stream";
import type { ImportResult } from "../api/index.ts";
import { CancelledError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import type { EpisodicMemory, TurnToRemember } from "../memory/episodicMemory.ts";
import type { EpisodeRef } from "../store/episodeStore.ts";
import type { HistoryStore } from "../store/historyStore.ts";
import { newId } from "../store/ids.ts";
import type { ImportStore } from "../store/importStore.ts";
import type { ConversationRow, ImportRow, MessageRow } from "../store/schema.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";
import { checkImportFile } from "./importFile.ts";
import type { ImportSource } from "./importedConversation.ts";
import { readSource } from "./importSources.ts";
import { ImportStaging, type StagedConversation, type StagedPiece, type StagedTurn } from "./importStaging.ts";

export interface ConversationImporterDependencies {
  dataDir: string;
  tables: TableTransfer;
  imports: ImportStore;
  episodic: EpisodicMemory;
  history: HistoryStore;
  /** Enqueues the background memory work for turns just stored (embedding, summaries, pruning), as chat does. */
  afterTurns: (conversationId: string, episodes: readonly EpisodeRef[]) => Promise<void>;
  /** Called after half-written conversations were removed (indexes built from the tables are rebuilt). */
  afterRollback: (conversationIds: string[]) => Promise<void>;
  events: EventBus;
  clock: () => number;
}

/**
 * A batch of the second pass is written once it holds this many turns or conversations. Large, because every
 * batch is a write to each table, and a table is compacted and reindexed after 64 writes (a minute for 100,000
 * turns' full-text indexes, which the import would wait for).
 */
const batchTurns = 5000;
const batchConversations = 200;
/** At most one "import.read" progress event this often. */
const readProgressMs = 250;
/** Pieces of an inline text fed to the parsers (they stream, so a large text is never copied whole). */
const pieceChars = 1 << 20;

/** Where staging files live, under the data folder. */
const stagingFolder = "imports";

/**
 * Imports conversations from other assistants into memory, in two passes: the whole source is read and checked
 * first (into a staging file, see ImportStaging), so a malformed, truncated or wrong file is refused before anything
 * is written; then each conversation is written in batches: its record "pending", its messages (the transcript) and
 * its turns as episodes through episodic memory's ingest (with the same background jobs as any ingest), the
 * conversation row, then its record "done". A rerun skips what is done; what was pending when the app stopped is
 * rolled back on the next start. Imports (and Engram imports) run one at a time, so the same file sent twice at
 * once is imported once.
 */
export class ConversationImporter {
  readonly #deps: ConversationImporterDependencies;
  readonly #abort = new AbortController();
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(deps: ConversationImporterDependencies) {
    this.#deps = deps;
  }

  /** Opens the importer: rolls back what a crash left pending, removes stale staging files. */
  static async open(deps: ConversationImporterDependencies): Promise<ConversationImporter> {
    const importer = new ConversationImporter(deps);
    await importer.#rollbackPending();
    const folder = join(deps.dataDir, stagingFolder);
    const stale = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    await Promise.all(
      stale.filter((name) => name.endsWith(".staging")).map((name) => rm(join(folder, name), { force: true })),
    );
    return importer;
  }

  /** Runs a transfer after every earlier one has finished (imports never interleave). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(() => {
      this.#abort.signal.throwIfAborted();
      return task();
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Imports a source's text (what the UI read from a file). */
  importText(source: ImportSource, content: string): Promise<ImportResult> {
    return this.exclusive(() =>
      this.#import(source, (counted) => counted(Readable.from(pieces(content), { objectMode: false })), content.length),
    );
  }

  /** Imports a file the app reads itself, streamed. */
  importFile(source: ImportSource, path: string): Promise<ImportResult> {
    return this.exclusive(async () => {
      const file = await checkImportFile(path, source);
      return this.#import(source, (counted) => counted(createReadStream(file.path)), file.size);
    });
  }

  /** Stops a running import (between batches; what it finished stays, what it started is rolled back next start). */
  async dispose(): Promise<void> {
    this.#abort.abort(new CancelledError("Engram stopped during the import: import the file again to finish it."));
    await this.#chain;
  }

  async #import(
    source: ImportSource,
    open: (counted: (stream: Readable) => Readable) => Readable,
    totalChars: number,
  ): Promise<ImportResult> {
    const signal = this.#abort.signal;
    await this.#rollbackPending();
    const staging = await ImportStaging.create(join(this.#deps.dataDir, stagingFolder));
    try {
      let read = 0;
      let reported = 0;
      const counted = (stream: Readable) =>
        countCharacters(stream, (length) => {
          read += length;
          const now = Date.now();
          if (now - reported >= readProgressMs) {
            reported = now;
            this.#deps.events.emit("jobs.progress", {
              kind: "import.read",
              done: Math.min(read, totalChars),
              total: totalChars,
            });
          }
        });
      // First pass: everything is read and checked; a bad source throws here, before any write.
      await staging.stage(
        source,
        readSource(source, () => open(counted)),
        { now: this.#deps.clock(), signal },
      );
      this.#deps.events.emit("jobs.progress", { kind: "import.read", done: totalChars, total: totalChars });
      return await this.#commit(staging, signal);
    } finally {
      await staging.dispose();
    }
  }

  /** Second pass: writes the staged conversations not imported before, in batches. */
  async #commit(staging: ImportStaging, signal: AbortSignal): Promise<ImportResult> {
    const staged = staging.conversations;
    const known = await this.#deps.imports.find([...new Set(staged.map((conversation) => conversation.key))]);
    const seen = new Set<string>();
    const wanted = new Set<StagedConversation>();
    let skipped = 0;
    let empty = 0;
    for (const conversation of staged) {
      if (conversation.turnCount === 0) empty += 1;
      else if (known.has(conversation.key) || seen.has(conversation.key)) skipped += 1;
      else wanted.add(conversation);
      seen.add(conversation.key);
    }
    const total = [...wanted].reduce((sum, conversation) => sum + conversation.turnCount, 0);
    const result: ImportResult = { conversations: 0, turns: 0, skipped, empty, conversationIds: [] };
    this.#deps.events.emit("jobs.progress", { kind: "import", done: 0, total });
    const batch = new ImportBatch();
    const flush = async () => {
      if (batch.items.length === 0) return;
      signal.throwIfAborted();
      const done = await this.#write(batch.take());
      result.conversations += done.length;
      result.conversationIds.push(...done);
      result.turns += batch.lastTurns;
      this.#deps.events.emit("jobs.progress", { kind: "import", done: result.turns, total });
    };
    for await (const piece of staging.read()) {
      if (!wanted.has(piece.conversation)) continue;
      batch.add(piece);
      if (batch.turns >= batchTurns || batch.items.length >= batchConversations) await flush();
    }
    await flush();
    if (result.conversations > 0) this.#deps.events.emit("memory.changed", { kinds: ["conversation", "episode"] });
    return result;
  }

  /** Writes one batch; returns the ids of the conversations it completed. */
  async #write(items: BatchItem[]): Promise<string[]> {
    const { imports, episodic, tables, history } = this.#deps;
    const now = this.#deps.clock();
    const starting = items.filter((item) => item.first);
    await imports.markPending(
      starting.map((item): ImportRow => ({
        key: item.conversation.key,
        source: item.conversation.key.slice(0, item.conversation.key.indexOf(":")),
        conversationId: item.conversationId,
        status: "pending",
        turnCount: item.conversation.turnCount,
        contentHash: item.conversation.contentHash,
        importedAt: now,
      })),
    );
    const remembered = items.map((item) => item.turns.map((turn) => rememberTurn(item, turn)));
    const messageRows = items.flatMap((item, index) => remembered[index]!.map(({ message }) => message));
    // Each conversation starts here (a new id), so episodic memory need not look for earlier turns of it, and every
    // ingest below appends in the same tick: the episode table takes the whole batch as one write.
    await Promise.all(starting.map((item) => episodic.ingest(item.conversationId, [], { newConversation: true })));
    const [, ingested] = await Promise.all([
      tables.append("messages", messageRows),
      Promise.all(
        items.map((item, index) =>
          episodic.ingest(
            item.conversationId,
            remembered[index]!.map(({ turn }) => turn),
          ),
        ),
      ),
    ]);
    await Promise.all(items.map((item, index) => this.#deps.afterTurns(item.conversationId, ingested[index]!)));
    const finishing = items.filter((item) => item.last);
    await Promise.all([
      tables.append(
        "conversations",
        finishing.map((item): ConversationRow => ({
          id: item.conversationId,
          title: item.conversation.title,
          createdAt: item.conversation.createdAt,
          updatedAt: item.conversation.updatedAt,
        })),
      ),
      history.record(
        finishing.map((item) => ({
          memoryId: item.conversationId,
          memoryKind: "conversation",
          actor: "user" as const,
          action: "import",
          before: null,
          after: JSON.stringify({
            source: item.conversation.key,
            title: item.conversation.title,
            turns: item.conversation.turnCount,
          }),
          at: now,
        })),
      ),
    ]);
    await imports.markDone(finishing.map((item) => item.conversation.key));
    return finishing.map((item) => item.conversationId);
  }

  /** Removes what an import left half-written (a crash between a conversation's "pending" and "done"). */
  async #rollbackPending(): Promise<void> {
    const { imports, tables, episodic } = this.#deps;
    const pending = await imports.pending();
    if (pending.length === 0) return;
    const ids = pending.map((row) => row.conversationId);
    // The conversation row goes last, like conversations.delete: a crash here leaves something to roll back again.
    await tables.deleteWhereIn("messages", "conversationId", ids);
    await tables.deleteWhereIn("episodes", "conversationId", ids);
    await tables.deleteWhereIn("episodes_archive", "conversationId", ids);
    for (const name of await tables.vectorTables()) await tables.deleteWhereIn(name, "conversationId", ids);
    await tables.deleteWhereIn("summaries", "conversationId", ids);
    await tables.deleteWhereIn("mentions", "conversationId", ids);
    await tables.deleteWhereIn("conversations", "id", ids);
    for (const id of ids) episodic.forgetConversation(id);
    await imports.remove(pending.map((row) => row.key));
    await this.#deps.afterRollback(ids);
  }
}

/** One conversation's share of a batch. */
interface BatchItem {
  conversation: StagedConversation;
  conversationId: string;
  turns: StagedTurn[];
  first: boolean;
  last: boolean;
  /** Message roles of named speakers (a transcript between "Ana" and "Ben"): the first to speak is the user. */
  roles: Map<string, "user" | "assistant">;
}

/** The pieces gathered for the next write, a conversation's consecutive pieces merged. */
class ImportBatch {
  items: BatchItem[] = [];
  turns = 0;
  lastTurns = 0;
  /** The conversation last added; it may continue in the next piece, in this batch or the next. */
  #open: BatchItem | null = null;
  #openInBatch = false;

  add(piece: StagedPiece): void {
    const open = this.#open;
    if (open && this.#openInBatch && open.conversation === piece.conversation && !piece.first) {
      open.turns.push(...piece.turns);
      open.last = piece.last;
    } else {
      const continued = !piece.first && open?.conversation === piece.conversation ? open : null;
      const item: BatchItem = {
        conversation: piece.conversation,
        conversationId: continued?.conversationId ?? newId("conv"),
        turns: [...piece.turns],
        first: piece.first,
        last: piece.last,
        roles: continued?.roles ?? new Map(),
      };
      this.items.push(item);
      this.#open = item;
      this.#openInBatch = true;
    }
    this.turns += piece.turns.length;
  }

  /** The items to write now; a conversation left unfinished continues in the next batch under the same id. */
  take(): BatchItem[] {
    const items = this.items;
    this.lastTurns = this.turns;
    this.items = [];
    this.turns = 0;
    this.#openInBatch = false;
    return items;
  }
}

/** A staged turn as the transcript message and the episode that remembers it. */
function rememberTurn(item: BatchItem, turn: StagedTurn): { message: MessageRow; turn: TurnToRemember } {
  const messageId = newId("msg");
  return {
    message: {
      id: messageId,
      conversationId: item.conversationId,
      role: messageRole(item.roles, turn.speaker),
      content: turn.text,
      status: "done",
      memoryIds: "[]",
      error: null,
      createdAt: turn.at,
    },
    turn: { speaker: turn.speaker, role: episodeRole(turn.speaker), text: turn.text, at: turn.at, messageId },
  };
}

/** The two sides of a chat by name; any other speaker is remembered as "other", as memory.ingest does. */
function episodeRole(speaker: string): TurnToRemember["role"] {
  const name = speaker.trim().toLowerCase();
  return name === "user" ? "user" : name === "assistant" ? "assistant" : "other";
}

/** A transcript shows two sides: user and assistant as such, named speakers by who spoke first. */
function messageRole(roles: Map<string, "user" | "assistant">, speaker: string): "user" | "assistant" {
  const side = episodeRole(speaker);
  if (side !== "other") return side;
  let role = roles.get(speaker);
  if (!role) {
    role = roles.size === 0 ? "user" : "assistant";
    roles.set(speaker, role);
  }
  return role;
}

/** A text in pieces, for a parser that streams. */
function* pieces(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += pieceChars) yield text.slice(start, start + pieceChars);
}

/** The same stream, telling `onRead` how much passes through; a read error reaches the consumer. */
function countCharacters(stream: Readable, onRead: (length: number) => void): Readable {
  const counter = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      onRead(chunk.length);
      callback(null, chunk);
    },
  });
  pipeline(stream, counter, (error) => {
    if (error) counter.destroy(error);
  });
  return counter;
}
