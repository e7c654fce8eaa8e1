import type { Database } from "./database.ts";
import type { ArchivedEpisodeRow, EpisodeRow } from "./schema.ts";
import { forEachValue, plainRows } from "./plainRows.ts";
import { and, eq, gte, isIn, lt } from "./sql.ts";
import { SerialRuns } from "./serialRuns.ts";
import type { TableHandle } from "./tableHandle.ts";

/** What recall ranks by: an episode's position, speaker, time and salience, without its text. */
export type EpisodeKey = Pick<EpisodeRow, "id" | "conversationId" | "seq" | "speaker" | "role" | "at" | "salience">;

/** An episode key as full-text search returns it, with LanceDB's BM25 score and the row's address in its table. */
export type ScoredEpisodeKey = EpisodeKey & { _score: number; _rowid: bigint };

/** Where a hot turn found by a search is stored: `atPositions` reads it, and the turns next to it, by address. */
export interface RowHint {
  conversationId: string;
  seq: number;
  rowId: bigint;
}

/** How far from a hint a position may be and still be guessed by address (neighbours, and the turn before them). */
const hintReach = 5;

const keyColumns = ["id", "conversationId", "seq", "speaker", "role", "at", "salience"];

/** A turn just stored, as the work after it (core/jobs/episodeJob.ts) names it. */
export type EpisodeRef = Pick<EpisodeRow, "id" | "seq">;

/** Columns recall reads: everything but the window text, which is only there to be indexed. */
const recallColumns = [
  "id",
  "conversationId",
  "messageId",
  "seq",
  "speaker",
  "role",
  "text",
  "at",
  "salience",
  "accessCount",
  "lastAccessAt",
  "pinned",
  "edited",
];

/**
 * HEMA's vector memory as rows: one episode per turn in the hot table or in the archive (kept, exported, restorable,
 * and still recalled, ranked below hot memories).
 */
export class EpisodeStore {
  readonly hot: TableHandle<EpisodeRow>;
  readonly archive: TableHandle<ArchivedEpisodeRow>;
  /** Tier moves and deletes, one at a time, so two moves of one turn never both copy it. */
  readonly #moves = new SerialRuns();

  private constructor(hot: TableHandle<EpisodeRow>, archive: TableHandle<ArchivedEpisodeRow>) {
    this.hot = hot;
    this.archive = archive;
  }

  static async open(db: Database): Promise<EpisodeStore> {
    return new EpisodeStore(
      await db.table<EpisodeRow>("episodes"),
      await db.table<ArchivedEpisodeRow>("episodes_archive"),
    );
  }

  async append(rows: EpisodeRow[]): Promise<void> {
    await this.hot.append(rows);
  }

  /**
   * BM25 full-text search over one indexed column ("text": the turn; "context": the turn with the turns before it).
   * Returns keys only: recall ranks on them and reads the text of the few it returns (half the time of reading it
   * for every candidate).
   */
  async fullText(column: "text" | "context", query: string, limit: number): Promise<ScoredEpisodeKey[]> {
    return searchKeys(this.hot, column, query, limit);
  }

  /** BM25 full-text search over archived turns' text (recall ranks them below hot memories), keys only. */
  async archiveFullText(query: string, limit: number): Promise<ScoredEpisodeKey[]> {
    // Most memories have archived nothing; counting (a read of the table's metadata) costs less than the search.
    if ((await this.archive.table.countRows()) === 0) return [];
    return searchKeys(this.archive, "text", query, limit);
  }

  /** The distinct speaker names of hot episodes (read once per session by recall; names are few). */
  async speakers(): Promise<string[]> {
    const speakers = new Set<string>();
    await forEachValue<string>(this.hot.table.query().select(["speaker"]), "speaker", (speaker) =>
      speakers.add(speaker),
    );
    return [...speakers];
  }

  /** Ids of every hot episode (what an embedder must cover before recall uses it). */
  async hotIds(): Promise<string[]> {
    const ids: string[] = [];
    await forEachValue<string>(this.hot.table.query().select(["id"]), "id", (id) => ids.push(id));
    return ids;
  }

  async byIds(ids: string[]): Promise<EpisodeRow[]> {
    if (ids.length === 0) return [];
    return (await this.hot.table.query().where(isIn("id", ids)).select(recallColumns).toArray()) as EpisodeRow[];
  }

  /** Hot episodes of a conversation from position `from` to `to` (both included), with the columns recall reads. */
  async inSeqRange(conversationId: string, from: number, to: number): Promise<EpisodeRow[]> {
    return plainRows<EpisodeRow>(
      await this.hot.table
        .query()
        .where(and(eq("conversationId", conversationId), gte("seq", from), lt("seq", to + 1)))
        .select(recallColumns)
        .toArrow(),
    );
  }

  /** The hot episodes of these conversations as their id and position, in order (a few bytes a turn, to name them). */
  async refsOf(conversationIds: readonly string[]): Promise<Map<string, EpisodeRef[]>> {
    const refs = new Map<string, EpisodeRef[]>();
    for (let start = 0; start < conversationIds.length; start += 500) {
      const rows = plainRows<EpisodeRef & { conversationId: string }>(
        await this.hot.table
          .query()
          .where(isIn("conversationId", conversationIds.slice(start, start + 500)))
          .select(["conversationId", "id", "seq"])
          .toArrow(),
      );
      for (const { conversationId, id, seq } of rows) {
        const list = refs.get(conversationId) ?? [];
        list.push({ id, seq });
        refs.set(conversationId, list);
      }
    }
    for (const list of refs.values()) list.sort((a, b) => a.seq - b.seq);
    return refs;
  }

  /** Archived episodes by id, with the columns recall reads. */
  async archivedByIds(ids: string[]): Promise<EpisodeRow[]> {
    if (ids.length === 0) return [];
    return plainRows<EpisodeRow>(
      await this.archive.table.query().where(isIn("id", ids)).select(recallColumns).toArrow(),
    );
  }

  /**
   * Episodes at the given positions (conversation -> seqs) of several conversations: recall reads the rows it returns
   * this way, neighbours of its hits included. With `hints` (where search hits are stored), each position is first
   * read by its address: a conversation's turns are appended in order, so the turn `d` after a hit is usually the row
   * `d` after it. Every row read that way is checked against the position it was read for, and the positions not
   * found are read by filter (the conversationId and seq indexes). A read by address costs less: at 1,000,000 turns,
   * about half.
   */
  async atPositions(positions: Map<string, number[]>, hints: readonly RowHint[] = []): Promise<EpisodeRow[]> {
    const wanted = new Map<string, Set<number>>();
    for (const [conversationId, seqs] of positions) if (seqs.length > 0) wanted.set(conversationId, new Set(seqs));
    const found: EpisodeRow[] = [];
    const guesses = guessRowIds(wanted, hints);
    if (guesses.length > 0) {
      const rows = plainRows<EpisodeRow>(await this.hot.table.takeRowIds(guesses).select(recallColumns).toArrow());
      for (const row of rows) {
        if (wanted.get(row.conversationId)?.delete(row.seq)) found.push(row);
      }
    }
    const conditions = [...wanted]
      .filter(([, seqs]) => seqs.size > 0)
      .map(([conversationId, seqs]) => `(${and(eq("conversationId", conversationId), isIn("seq", [...seqs]))})`);
    if (conditions.length === 0) return found;
    return [
      ...found,
      ...plainRows<EpisodeRow>(
        await this.hot.table.query().where(conditions.join(" OR ")).select(recallColumns).toArrow(),
      ),
    ];
  }

  /**
   * All episodes of a conversation in order, hot and (optionally) archived, each marked. Each id is listed once: a
   * turn found in both tiers (a crash between a move's copy and its delete) is shown as hot, and the stray archive
   * copy is removed.
   */
  async listConversation(
    conversationId: string,
    includeArchived: boolean,
  ): Promise<(EpisodeRow & { archived: boolean })[]> {
    const filter = eq("conversationId", conversationId);
    const hot = uniqueById(
      plainRows<EpisodeRow>(await this.hot.table.query().where(filter).select(recallColumns).toArrow()),
    );
    const rows = hot.map((row) => ({ ...row, archived: false }));
    if (includeArchived) {
      const hotIds = new Set(hot.map((row) => row.id));
      const archived = uniqueById(
        plainRows<EpisodeRow>(await this.archive.table.query().where(filter).select(recallColumns).toArrow()),
      );
      const doubled = archived.filter((row) => hotIds.has(row.id)).map((row) => row.id);
      if (doubled.length > 0) await this.#healDoubles(doubled);
      rows.push(...archived.filter((row) => !hotIds.has(row.id)).map((row) => ({ ...row, archived: true })));
    }
    return rows.sort((a, b) => a.seq - b.seq || a.at - b.at);
  }

  /**
   * Moves episodes to the archive tier (kept, exported, restorable; recalled below hot memories). Idempotent and safe
   * beside other moves: moves run one at a time, an id not in the hot tier is skipped, and the answer is the number
   * of episodes that left the hot tier. The archive copy is written before the hot row is deleted, so a crash in
   * between leaves a duplicate, never a loss; a copy already in the archive (that crash) is not written twice.
   */
  moveToArchive(ids: string[], at: number): Promise<number> {
    return this.#moves.run(tierMoves, async () => {
      const rows = uniqueById((await this.hot.table.query().where(isIn("id", ids)).toArray()) as EpisodeRow[]);
      if (rows.length === 0) return 0;
      const moving = rows.map((row) => row.id);
      const copied = await this.#idsIn(this.archive, moving);
      await this.archive.append(
        rows.filter((row) => !copied.has(row.id)).map((row) => ({ ...episodeRow(row), archivedAt: at })),
      );
      await this.hot.write((table) => table.delete(isIn("id", moving)));
      return rows.length;
    });
  }

  /**
   * Moves archived episodes back into recall, with the same guarantees as archiving (one move at a time, ids not in
   * the archive skipped, copy before delete). A restored turn counts as recalled now, so pruning does not take it
   * straight back. Answers how many episodes came back to the hot tier.
   */
  restoreFromArchive(ids: string[], at: number): Promise<number> {
    return this.#moves.run(tierMoves, async () => {
      const rows = uniqueById(
        (await this.archive.table.query().where(isIn("id", ids)).toArray()) as ArchivedEpisodeRow[],
      );
      if (rows.length === 0) return 0;
      const found = rows.map((row) => row.id);
      const alreadyHot = await this.#idsIn(this.hot, found);
      const back = rows
        .filter((row) => !alreadyHot.has(row.id))
        .map(({ archivedAt: _archivedAt, ...row }) => ({ ...episodeRow(row), lastAccessAt: at }));
      await this.hot.append(back);
      await this.archive.write((table) => table.delete(isIn("id", found)));
      return back.length;
    });
  }

  async update(
    id: string,
    values: Partial<Pick<EpisodeRow, "pinned" | "salience" | "text" | "edited">>,
  ): Promise<void> {
    await this.hot.write((table) => table.update({ where: eq("id", id), values }));
  }

  /** Counts a recall: frequently used memories resist forgetting. */
  async noteAccess(ids: string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.hot.write((table) =>
      table.update({
        where: isIn("id", ids),
        valuesSql: { accessCount: "`accessCount` + 1", lastAccessAt: String(at) },
      }),
    );
  }

  /** Deletes the episode of a message from both tiers (after any move under way, so no copy survives it). */
  deleteByMessage(messageId: string): Promise<void> {
    return this.#deleteFromBothTiers(eq("messageId", messageId));
  }

  /** Ids of a message's episodes in either tier. */
  async idsOfMessage(messageId: string): Promise<string[]> {
    const ids = await Promise.all(
      [this.hot, this.archive].map(async (tier) =>
        plainRows<{ id: string }>(await tier.table.query().where(eq("messageId", messageId)).select(["id"]).toArrow()),
      ),
    );
    return [...new Set(ids.flat().map((row) => row.id))];
  }

  /** Deletes a conversation's episodes from both tiers (after any move under way, so no copy survives it). */
  deleteByConversation(conversationId: string): Promise<void> {
    return this.#deleteFromBothTiers(eq("conversationId", conversationId));
  }

  /** Deletes episodes by id from both tiers (undo of an ingest), after any move under way. */
  deleteByIds(ids: string[]): Promise<void> {
    return this.#deleteFromBothTiers(isIn("id", ids));
  }

  /** Which of `ids` are kept in either tier. */
  async existing(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const [hot, archived] = await Promise.all([this.#idsIn(this.hot, ids), this.#idsIn(this.archive, ids)]);
    return new Set([...hot, ...archived]);
  }

  async counts(): Promise<{ hot: number; archived: number }> {
    return { hot: await this.hot.table.countRows(), archived: await this.archive.table.countRows() };
  }

  #deleteFromBothTiers(filter: string): Promise<void> {
    return this.#moves.run(tierMoves, async () => {
      await this.hot.write((table) => table.delete(filter));
      await this.archive.write((table) => table.delete(filter));
    });
  }

  /** Which of `ids` a tier holds. */
  async #idsIn(tier: TableHandle<EpisodeRow>, ids: string[]): Promise<Set<string>> {
    const rows = plainRows<{ id: string }>(await tier.table.query().where(isIn("id", ids)).select(["id"]).toArrow());
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Removes the archive copies of episodes that are in both tiers. Checked again under the move lock: a move that ran
   * since the listing may have made the archive copy the only one.
   */
  #healDoubles(ids: string[]): Promise<void> {
    return this.#moves.run(tierMoves, async () => {
      const stillHot = [...(await this.#idsIn(this.hot, ids))];
      if (stillHot.length > 0) await this.archive.write((table) => table.delete(isIn("id", stillHot)));
    });
  }
}

/** Keys (and BM25 scores) of a tier's full-text matches. */
async function searchKeys(
  tier: TableHandle<EpisodeRow>,
  column: "text" | "context",
  query: string,
  limit: number,
): Promise<ScoredEpisodeKey[]> {
  return plainRows<ScoredEpisodeKey>(
    await tier.table
      .query()
      .fullTextSearch(query, { columns: column })
      // Naming _score keeps LanceDB's BM25 score in the result without its deprecation warning.
      .select([...keyColumns, "_score"])
      .withRowId()
      .limit(limit)
      .toArrow(),
  );
}

/** For each wanted position, the address of the nearest hint in its conversation moved by the distance to it. */
function guessRowIds(wanted: Map<string, Set<number>>, hints: readonly RowHint[]): bigint[] {
  const byConversation = new Map<string, Map<number, bigint>>();
  for (const hint of hints) {
    const seqs = byConversation.get(hint.conversationId) ?? new Map<number, bigint>();
    seqs.set(hint.seq, hint.rowId);
    byConversation.set(hint.conversationId, seqs);
  }
  const guesses = new Set<bigint>();
  for (const [conversationId, seqs] of wanted) {
    const known = byConversation.get(conversationId);
    if (!known) continue;
    for (const seq of seqs) {
      for (let distance = 0; distance <= hintReach; distance += 1) {
        const below = known.get(seq - distance);
        const above = known.get(seq + distance);
        const guess =
          below !== undefined ? below + BigInt(distance) : above !== undefined ? above - BigInt(distance) : undefined;
        if (guess === undefined) continue;
        if (guess >= 0n) guesses.add(guess);
        break;
      }
    }
  }
  return [...guesses];
}

/** The one key of the tier-move queue: every move, in either direction, and every delete run one at a time. */
const tierMoves = "tiers";

/** Keeps the first row of each id (a hot tier doubled by an older version's restore lists each turn once). */
function uniqueById<Row extends { id: string }>(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.id) && Boolean(seen.add(row.id)));
}

/** An episode row with exactly the episode columns (an archive row read back has one more). */
function episodeRow(row: EpisodeRow): EpisodeRow {
  return {
    id: row.id,
    conversationId: row.conversationId,
    messageId: row.messageId,
    seq: row.seq,
    speaker: row.speaker,
    role: row.role,
    text: row.text,
    context: row.context,
    at: row.at,
    salience: row.salience,
    accessCount: row.accessCount,
    lastAccessAt: row.lastAccessAt,
    pinned: row.pinned,
    edited: row.edited,
  };
}
