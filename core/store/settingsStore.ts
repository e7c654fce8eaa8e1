import { Settings } from "../api/index.ts";
import type { Database } from "./database.ts";
import type { TableHandle } from "./tableHandle.ts";

export const defaultSettings: Settings = {
  promptBudgetTokens: 3500,
  forgetAfterDays: 180,
  maxHotEpisodes: 200_000,
  digestEveryTurns: 100,
  systemPrompt:
    "You are Engram, a private assistant running on the user's own computer. You remember what the user told you " +
    "in earlier conversations: the memory below is yours. Use it when it helps, say so when you are unsure, and " +
    "never invent memories.",
  offline: false,
  mcpAccess: "off",
};

/** User settings, one row per key; unknown or invalid stored values fall back to defaults rather than failing. */
export class SettingsStore {
  readonly #table: TableHandle<{ key: string; value: string }>;

  private constructor(table: TableHandle<{ key: string; value: string }>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<SettingsStore> {
    return new SettingsStore(await db.table("settings"));
  }

  async read(): Promise<Settings> {
    const rows = (await this.#table.table.query().toArray()) as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value);
    const merged = Settings.safeParse({ ...defaultSettings, ...stored });
    return merged.success ? merged.data : defaultSettings;
  }

  /** Saves the given keys (already validated by the contract). */
  async write(changes: Partial<Settings>): Promise<void> {
    const set = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => ({ key, value: JSON.stringify(value) }));
    await this.#table.write(async (table) => {
      if (set.length > 0) await table.mergeInsert("key").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(set);
    });
  }
}
