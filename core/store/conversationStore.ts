import type { Conversation } from "../api/index.ts";
import { NotFoundError } from "../errors.ts";
import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import { ConversationGate } from "./conversationGate.ts";
import type { ConversationRow } from "./schema.ts";
import { eq } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

export const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  title: row.title,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/** The title of a conversation created empty; its first message replaces it. */
export const defaultConversationTitle = "New conversation";

/**
 * Conversations: a title and timestamps. A conversation being deleted is already gone for every lookup here (see
 * ConversationGate), so nothing new starts in it while its deletion runs.
 */
export class ConversationStore {
  readonly #table: TableHandle<ConversationRow>;
  /** Which conversations are being deleted, and the writes a deletion waits for. */
  readonly gate = new ConversationGate();

  private constructor(table: TableHandle<ConversationRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<ConversationStore> {
    return new ConversationStore(await db.table<ConversationRow>("conversations"));
  }

  async list(): Promise<ConversationRow[]> {
    const rows = (await this.#table.table.query().toArray()) as ConversationRow[];
    return rows.filter((row) => !this.gate.isClosed(row.id)).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async find(id: string): Promise<ConversationRow | null> {
    const [row] = await this.#table.table.query().where(eq("id", id)).limit(1).toArray();
    // Asked after the read: a delete that started meanwhile wins, so the caller never goes on into it.
    if (this.gate.isClosed(id)) return null;
    return (row as ConversationRow | undefined) ?? null;
  }

  async get(id: string): Promise<ConversationRow> {
    const row = await this.find(id);
    if (!row) throw new NotFoundError("Conversation", id);
    return row;
  }

  async create(title: string, at: number): Promise<ConversationRow> {
    const row: ConversationRow = { id: newId("conv"), title, createdAt: at, updatedAt: at };
    await this.#table.append([row]);
    return row;
  }

  async rename(id: string, title: string, at: number): Promise<ConversationRow> {
    const row = await this.get(id);
    await this.#table.write((table) => table.update({ where: eq("id", id), values: { title, updatedAt: at } }));
    this.gate.assertOpen(id);
    return { ...row, title, updatedAt: at };
  }

  /**
   * Moves a conversation to the top of the list. Throws not_found once the conversation is being deleted, so a
   * chat turn that got this far into a conversation being deleted starts no reply.
   */
  async touch(id: string, at: number): Promise<void> {
    await this.#table.write((table) => table.update({ where: eq("id", id), values: { updatedAt: at } }));
    this.gate.assertOpen(id);
  }

  /** Removes the conversation's row (its deletion's last step: see ConversationGate). */
  async delete(id: string): Promise<void> {
    await this.#table.write((table) => table.delete(eq("id", id)));
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
