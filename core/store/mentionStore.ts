import type { Database } from "./database.ts";
import { deleteRows } from "./deleteRows.ts";
import { plainRows } from "./plainRows.ts";
import { eq, isIn } from "./sql.ts";
import type { MentionRow } from "./schema.ts";
import type { TableHandle } from "./tableHandle.ts";
import { upsertRows } from "./upsertRows.ts";

/**
 * Which turns mention which entities (append-only: a mention is a fact about a turn, not an opinion; it goes only
 * with its turn). Mentions point at the entity they were first resolved to; a merge redirects them through the
 * entity, so it can be split.
 */
export class MentionStore {
  readonly #table: TableHandle<MentionRow>;

  private constructor(table: TableHandle<MentionRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<MentionStore> {
    return new MentionStore(await db.table<MentionRow>("mentions"));
  }

  async append(rows: MentionRow[]): Promise<void> {
    await this.#table.append(rows);
  }

  /** Every mention (read once at start into the in-memory index; export reads it too). */
  async allRows(): Promise<MentionRow[]> {
    return plainRows<MentionRow>(await this.#table.table.query().toArrow());
  }

  /** The mentions of a conversation's turns and of some episodes (what forgetting those turns removes). */
  async ofTurns(scope: { conversationId?: string; episodeIds?: readonly string[] }): Promise<MentionRow[]> {
    const conditions = [
      ...(scope.conversationId !== undefined ? [eq("conversationId", scope.conversationId)] : []),
      ...(scope.episodeIds?.length ? [isIn("episodeId", scope.episodeIds)] : []),
    ];
    if (conditions.length === 0) return [];
    return plainRows<MentionRow>(
      await this.#table.table
        .query()
        .where(conditions.map((condition) => `(${condition})`).join(" OR "))
        .toArrow(),
    );
  }

  /** Writes mentions back by id (import); a mention already present is replaced, not doubled. */
  async restoreRows(rows: MentionRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Removes mentions for good (what was learned only from a deleted conversation or a replaced reply). */
  async deleteByIds(ids: readonly string[]): Promise<void> {
    await deleteRows(this.#table, "id", ids);
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
