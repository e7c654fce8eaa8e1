import type { Database } from "./database.ts";
import type { ArchivedEpisodeRow, EpisodeRow } from "./schema.ts";
import { plainRows } from "./plainRows.ts";
import { and, eq, isIn } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

/** What recall ranks by: an episode's position, speaker, time and salience, without its text. */
export type EpisodeKey = Pick<EpisodeRow, "id" | "conversationId" | "seq" | "speaker" | "role" | "at" | "salience">;

/** An episode key as full-text search returns it, with LanceDB's BM25 score. */
export type ScoredEpisodeKey = EpisodeKey & { _score: number };

const keyColumns = ["id", "conversationId", "seq", "speaker", "role", "at", "salience"];

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
 * HEMA's vector memory as rows: one episode per turn in the hot table (indexed, recalled) or in the archive (kept,
 * exported, restorable, not recalled).
 */
export class EpisodeStore {
  readonly hot: TableHandle<EpisodeRow>;
  readonly archive: TableHandle<ArchivedEpisodeRow>;

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
    return plainRows<ScoredEpisodeKey>(
      await this.hot.table
        .query()
        .fullTextSearch(query, { columns: column })
        // Naming _score keeps LanceDB's BM25 score in the result without its deprecation warning.
        .select([...keyColumns, "_score"])
        .limit(limit)
        .toArrow(),
    );
  }

  /** The distinct speaker names of hot episodes (read once per session by recall; names are few). */
  async speakers(): Promise<string[]> {
    const rows = (await this.hot.table.query().select(["speaker"]).toArray()) as { speaker: string }[];
    return [...new Set(rows.map((row) => row.speaker))];
  }

  /** Ids of every hot episode (what an embedder must cover before recall uses it). */
  async hotIds(): Promise<string[]> {
    return plainRows<{ id: string }>(await this.hot.table.query().select(["id"]).toArrow()).map((row) => row.id);
  }

  async byIds(ids: string[]): Promise<EpisodeRow[]> {
    if (ids.length === 0) return [];
    return (await this.hot.table.query().where(isIn("id", ids)).select(recallColumns).toArray()) as EpisodeRow[];
  }

  /**
   * Episodes at the given positions (conversation -> seqs) of several conversations, in one query: recall reads the
   * rows it returns this way, neighbours of its hits included (the filter uses the conversationId and seq indexes).
   */
  async atPositions(positions: Map<string, number[]>): Promise<EpisodeRow[]> {
    const conditions = [...positions]
      .filter(([, seqs]) => seqs.length > 0)
      .map(
        ([conversationId, seqs]) => `(${and(eq("conversationId", conversationId), isIn("seq", [...new Set(seqs)]))})`,
      );
    if (conditions.length === 0) return [];
    return plainRows<EpisodeRow>(
      await this.hot.table.query().where(conditions.join(" OR ")).select(recallColumns).toArrow(),
    );
  }

  /** All episodes of a conversation in order, hot and (optionally) archived, each marked. */
  async listConversation(
    conversationId: string,
    includeArchived: boolean,
  ): Promise<(EpisodeRow & { archived: boolean })[]> {
    const filter = eq("conversationId", conversationId);
    const hot = (await this.hot.table.query().where(filter).select(recallColumns).toArray()) as EpisodeRow[];
    const rows = hot.map((row) => ({ ...row, archived: false }));
    if (includeArchived) {
      const archived = (await this.archive.table.query().where(filter).select(recallColumns).toArray()) as EpisodeRow[];
      rows.push(...archived.map((row) => ({ ...row, archived: true })));
    }
    return rows.sort((a, b) => a.seq - b.seq || a.at - b.at);
  }

  /**
   * Moves episodes to the archive tier: out of recall, kept for export and restore. The archive copy is written
   * before the hot row is deleted, so a crash in between leaves a duplicate, never a loss.
   */
  async moveToArchive(ids: string[], at: number): Promise<number> {
    const rows = await this.hot.table.query().where(isIn("id", ids)).toArray();
    if (rows.length === 0) return 0;
    await this.archive.append(rows.map((row) => ({ ...(row as EpisodeRow), archivedAt: at })));
    await this.hot.write((table) =>
      table.delete(
        isIn(
          "id",
          rows.map((row) => row.id as string),
        ),
      ),
    );
    return rows.length;
  }

  /** Moves archived episodes back into recall (the same copy-then-delete order as archiving). */
  async restoreFromArchive(ids: string[]): Promise<number> {
    const rows = (await this.archive.table.query().where(isIn("id", ids)).toArray()) as ArchivedEpisodeRow[];
    if (rows.length === 0) return 0;
    const restored = rows.map(({ archivedAt: _archivedAt, ...row }) => row);
    const existing = new Set((await this.byIds(restored.map((row) => row.id))).map((row) => row.id));
    await this.hot.append(restored.filter((row) => !existing.has(row.id)));
    await this.archive.write((table) =>
      table.delete(
        isIn(
          "id",
          restored.map((row) => row.id),
        ),
      ),
    );
    return rows.length;
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

  async deleteByMessage(messageId: string): Promise<void> {
    const filter = eq("messageId", messageId);
    await this.hot.write((table) => table.delete(filter));
    await this.archive.write((table) => table.delete(filter));
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    const filter = eq("conversationId", conversationId);
    await this.hot.write((table) => table.delete(filter));
    await this.archive.write((table) => table.delete(filter));
  }

  async counts(): Promise<{ hot: number; archived: number }> {
    return { hot: await this.hot.table.countRows(), archived: await this.archive.table.countRows() };
  }
}
