import { Settings, type SettingsUpdate } from "../api/index.ts";
import { BadInputError } from "../errors.ts";
import type { Database } from "./database.ts";
import { isIn } from "./sql.ts";
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
  autoExtract: true,
};

/** Applies settings the engine is about to save (loads the chosen models); throws when they cannot be applied. */
export type SettingsApplier = (next: Settings) => Promise<void>;

/**
 * User settings, one row per key; an unknown or invalid stored value falls back to its default rather than failing
 * (so a setting made invalid by a stricter schema costs only itself). Changes run one at a time: each reads what is
 * stored, merges the change (`null` clears an optional setting), has the applier apply the result, and only then
 * saves it, so a change the engine cannot apply is refused and leaves the settings as they were.
 */
export class SettingsStore {
  readonly #table: TableHandle<{ key: string; value: string }>;
  #applier: SettingsApplier | undefined;
  #changing: Promise<unknown> = Promise.resolve();

  private constructor(table: TableHandle<{ key: string; value: string }>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<SettingsStore> {
    return new SettingsStore(await db.table("settings"));
  }

  /** Sets what applies every later change before it is saved (the engine: the model service). */
  applyWith(applier: SettingsApplier): void {
    this.#applier = applier;
  }

  async read(): Promise<Settings> {
    const rows = (await this.#table.table.query().toArray()) as { key: string; value: string }[];
    const settings: Record<string, unknown> = { ...defaultSettings };
    for (const row of rows) {
      if (!Object.hasOwn(Settings.shape, row.key)) continue;
      const parsed = Settings.shape[row.key as keyof Settings].safeParse(storedValue(row.value));
      if (parsed.success) settings[row.key] = parsed.data;
    }
    return Settings.parse(settings);
  }

  /**
   * Changes the given keys (already validated by the contract; `null` clears one) and answers the settings now in
   * force. The applier runs first; if it throws, nothing is saved and the error reaches the caller.
   */
  update(changes: SettingsUpdate): Promise<Settings> {
    const run = this.#changing.then(() => this.#update(changes));
    this.#changing = run.catch(() => undefined); // the next change runs whether or not this one was refused
    return run;
  }

  /** Saves the given keys; the same as update (kept for callers that only save, such as the model choice). */
  async write(changes: SettingsUpdate): Promise<void> {
    await this.update(changes);
  }

  async #update(changes: SettingsUpdate): Promise<Settings> {
    const next: Record<string, unknown> = { ...(await this.read()) };
    const set: { key: string; value: string }[] = [];
    const cleared: string[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) {
        delete next[key];
        cleared.push(key);
      } else {
        next[key] = value;
        set.push({ key, value: JSON.stringify(value) });
      }
    }
    const parsed = Settings.safeParse(next);
    if (!parsed.success) throw new BadInputError(`These settings do not go together: ${parsed.error.message}`);
    await this.#applier?.(parsed.data);
    await this.#table.write(async (table) => {
      if (cleared.length > 0) await table.delete(isIn("key", cleared));
      if (set.length > 0) await table.mergeInsert("key").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(set);
    });
    return parsed.data;
  }
}

/** A stored value as JSON; a damaged one reads as undefined, which then falls back to the default. */
function storedValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    console.error(`Engram: a stored setting is damaged and its default is used: ${String(error)}`);
    return undefined;
  }
}
