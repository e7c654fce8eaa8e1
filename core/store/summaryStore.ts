import type { Summary } from "../api/index.ts";
import type { Database } from "./database.ts";
import type { SummaryRow } from "./schema.ts";
import { and, eq, or } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

export const profileSummaryId = "profile";
export const conversationSummaryId = (conversationId: string) => `summary_${conversationId}`;

export const toSummary = (row: SummaryRow): Summary => ({
  id: row.id,
  kind: row.kind,
  ...(row.conversationId ? { conversationId: row.conversationId } : {}),
  text: row.text,
  turnCount: row.turnCount,
  updatedAt: new Date(row.updatedAt).toISOString(),
  editedByUser: row.editedByUser,
});

/** Digests in the order they were made: each covers more of its conversation's turns than the one before. */
const oldestFirst = (a: SummaryRow, b: SummaryRow) => a.turnCount - b.turnCount;

/** HEMA compact memory: running conversation summaries, their digests, and the user profile. */
export class SummaryStore {
  readonly #table: TableHandle<SummaryRow>;

  private constructor(table: TableHandle<SummaryRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<SummaryStore> {
    return new SummaryStore(await db.table<SummaryRow>("summaries"));
  }

  async get(id: string): Promise<SummaryRow | null> {
    const [row] = await this.#table.table.query().where(eq("id", id)).limit(1).toArray();
    return (row as SummaryRow | undefined) ?? null;
  }

  async all(): Promise<SummaryRow[]> {
    return (await this.#table.table.query().toArray()) as SummaryRow[];
  }

  async digests(conversationId: string): Promise<SummaryRow[]> {
    const rows = (await this.#table.table
      .query()
      .where(and(eq("conversationId", conversationId), eq("kind", "digest")))
      .toArray()) as SummaryRow[];
    return rows.sort(oldestFirst);
  }

  /**
   * What a conversation's compact memory is made of, in one read: the user's profile, the conversation's running
   * summary and its digests (oldest first). Every chat turn reads it, beside the recall searches, so it is one query
   * rather than three competing with them.
   */
  async ofConversation(
    conversationId: string | null,
  ): Promise<{ profile: SummaryRow | null; conversation: SummaryRow | null; digests: SummaryRow[] }> {
    const rows = (await this.#table.table
      .query()
      .where(or(eq("id", profileSummaryId), conversationId !== null && eq("conversationId", conversationId)))
      .toArray()) as SummaryRow[];
    const summaryId = conversationId === null ? null : conversationSummaryId(conversationId);
    return {
      profile: rows.find((row) => row.id === profileSummaryId) ?? null,
      conversation: rows.find((row) => row.id === summaryId) ?? null,
      digests: rows.filter((row) => row.kind === "digest").sort(oldestFirst),
    };
  }

  /** Writes a summary, replacing the row with the same id. */
  async put(row: SummaryRow): Promise<void> {
    await this.#table.write((table) =>
      table
        .mergeInsert("id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute([row as unknown as Record<string, unknown>]),
    );
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    await this.#table.write((table) => table.delete(eq("conversationId", conversationId)));
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
