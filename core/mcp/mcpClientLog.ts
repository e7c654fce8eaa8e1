import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { McpClientUse, type McpClient } from "../api/index.ts";

const StoredLog = z.object({ clients: z.array(McpClientUse) });

/**
 * Which outside tools used Engram's memory through MCP, when, and how often: a small JSON file in the data folder,
 * readable only by the user. Only the process that holds the data folder writes it. Counts are kept in memory and
 * the file is rewritten whole after each change (the writes are chained, so calls sent together never lose a count,
 * and each write goes to a temporary file renamed over the old one, so a crash leaves the old or the new record).
 */
export class McpClientLog {
  readonly #path: string;
  #clients: Map<string, McpClientUse> | null = null;
  #loading: Promise<Map<string, McpClientUse>> | null = null;
  #saving: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  /** Every client, most recently used first. */
  async list(): Promise<McpClientUse[]> {
    const clients = await this.#load();
    return [...clients.values()].sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt));
  }

  async get(name: string): Promise<McpClientUse | null> {
    return (await this.#load()).get(name) ?? null;
  }

  /** Counts one tool call of `client`, allowed or refused, at `at` (ms since the epoch). */
  async noteCall(client: McpClient, tool: string, allowed: boolean, at: number): Promise<void> {
    const clients = await this.#load();
    const when = new Date(at).toISOString();
    const known = clients.get(client.name);
    const use: McpClientUse = known
      ? { ...known, lastUsedAt: when, lastTool: tool }
      : { name: client.name, firstUsedAt: when, lastUsedAt: when, calls: 0, refused: 0, lastTool: tool };
    if (client.version !== undefined) use.version = client.version;
    if (allowed) use.calls += 1;
    else use.refused += 1;
    clients.set(client.name, use);
    await this.#save();
  }

  /** Remembers the conversation a client's notes go into (a client not seen before is recorded with no calls). */
  async setConversation(client: McpClient, conversationId: string, at: number): Promise<void> {
    const clients = await this.#load();
    const when = new Date(at).toISOString();
    const known = clients.get(client.name) ?? {
      name: client.name,
      firstUsedAt: when,
      lastUsedAt: when,
      calls: 0,
      refused: 0,
      lastTool: "add_memory",
    };
    clients.set(client.name, { ...known, conversationId });
    await this.#save();
  }

  /** Waits for the last write to reach the disk. */
  async flush(): Promise<void> {
    await this.#saving;
  }

  #load(): Promise<Map<string, McpClientUse>> {
    if (this.#clients) return Promise.resolve(this.#clients);
    this.#loading ??= this.#read().then(
      (clients) => (this.#clients = clients),
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  async #read(): Promise<Map<string, McpClientUse>> {
    let text: string;
    try {
      text = await readFile(this.#path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
      throw error;
    }
    // A damaged record only costs the usage counts, never memory: start it again rather than refuse every call.
    let parsed: z.ZodSafeParseResult<z.infer<typeof StoredLog>>;
    try {
      parsed = StoredLog.safeParse(JSON.parse(text));
    } catch (error) {
      console.error(`Engram: ${this.#path} is not valid JSON (${(error as Error).message}); starting it again.`);
      return new Map();
    }
    if (!parsed.success) {
      console.error(`Engram: ${this.#path} is not a client record; starting it again.`);
      return new Map();
    }
    return new Map(parsed.data.clients.map((use) => [use.name, use]));
  }

  #save(): Promise<void> {
    const snapshot = JSON.stringify({ clients: [...(this.#clients ?? new Map()).values()] }, null, 2);
    const write = async () => {
      const temporary = `${this.#path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await writeFile(temporary, snapshot, { mode: 0o600, flag: "wx" });
        await rename(temporary, this.#path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    };
    // Chained so each write starts after the previous one ended. The caller sees a failed write (its call fails: a
    // use the user cannot see is not allowed); the chain goes on for the next one.
    const saving = this.#saving.then(write);
    this.#saving = saving.catch(() => undefined);
    return saving;
  }
}
