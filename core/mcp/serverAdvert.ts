import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/** The file in the data folder by which a running Engram (the app or `serve`) says where its contract is served. */
export const serverAdvertFile = "server.json";

/** Where the process holding the data folder serves the contract, and the token it wants. */
export const ServerAdvert = z.object({
  /** The origin of the loopback HTTP server; only 127.0.0.1 is accepted, so the token never leaves the computer. */
  url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
  token: z.string().min(16).max(200),
  pid: z.number().int().positive(),
});
export type ServerAdvert = z.infer<typeof ServerAdvert>;

/**
 * Writes the advert, readable only by the user (mode 0600; the token lets anyone who reads it use the memory), by
 * way of a temporary file renamed over any old one. Returns the function that removes it again, which leaves alone
 * a newer advert written meanwhile by another process.
 */
export async function writeServerAdvert(dataDir: string, advert: ServerAdvert): Promise<() => Promise<void>> {
  const path = join(dataDir, serverAdvertFile);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(advert), { mode: 0o600, flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return async () => {
    const current = await readAdvertFile(path);
    if (current && current.token === advert.token) await rm(path, { force: true });
  };
}

/**
 * The advert of a live Engram on `dataDir`, or null when there is none: no file, a damaged one, or one left by a
 * process that has ended (a crash or a kill -9 leaves the file behind). A live pid can still be a stale advert (the
 * pid reused); the caller finds that out when the connection is refused.
 */
export async function readServerAdvert(dataDir: string): Promise<ServerAdvert | null> {
  const advert = await readAdvertFile(join(dataDir, serverAdvertFile));
  return advert && isAlive(advert.pid) ? advert : null;
}

async function readAdvertFile(path: string): Promise<ServerAdvert | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const parsed = ServerAdvert.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    // Half-written by a process that died mid-write (the rename makes that unlikely) or edited by hand: not an advert.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which is still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
