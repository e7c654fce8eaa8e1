import type { Message, MessageStatus } from "../api/index.ts";
import { NotFoundError } from "../errors.ts";
import type { Database } from "./database.ts";
import type { MessageRow } from "./schema.ts";
import { and, eq, isIn } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  conversationId: row.conversationId,
  role: row.role,
  content: row.content,
  status: row.status,
  memoryIds: JSON.parse(row.memoryIds) as string[],
  createdAt: new Date(row.createdAt).toISOString(),
  ...(row.error ? { error: row.error } : {}),
});

/** Chat messages. A user message is written before anything else of its turn, so it is never lost. */
export class MessageStore {
  readonly #table: TableHandle<MessageRow>;

  private constructor(table: TableHandle<MessageRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<MessageStore> {
    return new MessageStore(await db.table<MessageRow>("messages"));
  }

  async append(rows: MessageRow[]): Promise<void> {
    await this.#table.append(rows);
  }

  async listByConversation(conversationId: string): Promise<MessageRow[]> {
    const rows = (await this.#table.table
      .query()
      .where(eq("conversationId", conversationId))
      .toArray()) as MessageRow[];
    // Same millisecond: a user message sorts before the reply written with it.
    return rows.sort((a, b) => a.createdAt - b.createdAt || (a.role === "user" ? -1 : 1));
  }

  async get(id: string): Promise<MessageRow> {
    const [row] = await this.#table.table.query().where(eq("id", id)).limit(1).toArray();
    if (!row) throw new NotFoundError("Message", id);
    return row as MessageRow;
  }

  /** Records how a reply ended: its text, status, the memories it used and any error. */
  async finish(
    id: string,
    values: { content: string; status: MessageStatus; memoryIds: string[]; error?: string | null },
  ): Promise<void> {
    await this.#table.write((table) =>
      table.update({
        where: eq("id", id),
        values: {
          content: values.content,
          status: values.status,
          memoryIds: JSON.stringify(values.memoryIds),
          error: values.error ?? null,
        },
      }),
    );
  }

  /** Saves the text a reply has streamed so far, so a crash mid-reply keeps it (a finished reply is left alone). */
  async saveProgress(id: string, content: string): Promise<void> {
    await this.#table.write((table) =>
      table.update({
        where: and(eq("id", id), isIn("status", ["pending", "streaming"])),
        values: { content, status: "streaming" },
      }),
    );
  }

  /**
   * Replies that were pending or streaming when the app stopped can never finish. One that had streamed text is
   * marked stopped, its text kept (as if the user had stopped it); one with nothing yet is marked as an error, so the
   * user sees what happened and can regenerate.
   */
  async failInterrupted(message: string): Promise<number> {
    const unfinished = isIn("status", ["pending", "streaming"]);
    const count = await this.#table.table.countRows(unfinished);
    if (count > 0) {
      await this.#table.write((table) =>
        table.update({ where: and(unfinished, "content != ''"), values: { status: "stopped" } }),
      );
      await this.#table.write((table) =>
        table.update({ where: unfinished, values: { status: "error", error: message } }),
      );
    }
    return count;
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    await this.#table.write((table) => table.delete(eq("conversationId", conversationId)));
  }

  async deleteById(id: string): Promise<void> {
    await this.#table.write((table) => table.delete(eq("id", id)));
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
