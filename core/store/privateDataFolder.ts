import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Folders of the data folder: only the user may list or enter them. */
export const privateFolderMode = 0o700;
/** Files of the data folder (turns, settings with an API key, models, the manifest): only the user may read them. */
export const privateFileMode = 0o600;

/** Whether this platform has POSIX permission bits (Windows keeps access in ACLs, which the user profile already limits). */
export const hasFileModes = (platform: NodeJS.Platform = process.platform): boolean => platform !== "win32";

/**
 * Makes the data folder private to the user, on every platform where modes exist: the folder is created 0700 (or
 * tightened, if an older Engram made it 0755), everything already in it becomes 0700 / 0600, and the process umask
 * gains 077, so every file written later (by LanceDB's native writer, downloads, the manifest, a token file) is
 * created 0600 without each writer having to remember it. The umask only ever narrows: bits a stricter setting
 * already masks stay masked.
 */
export async function makeDataFolderPrivate(dataDir: string): Promise<void> {
  if (!hasFileModes()) {
    await mkdir(dataDir, { recursive: true });
    return;
  }
  restrictNewFileModes();
  await mkdir(dataDir, { recursive: true, mode: privateFolderMode });
  await tightenTree(dataDir);
}

/** Adds 077 to the process umask (group and others get nothing on files and folders created from now on). */
export function restrictNewFileModes(): void {
  if (!hasFileModes()) return;
  const current = process.umask();
  if ((current & 0o077) !== 0o077) process.umask(current | 0o077);
}

/**
 * Sets 0700 on every folder and 0600 on every file under `root` (root included) whose mode allows more. Symbolic
 * links are left alone: what they point to is not the data folder's (an imported model stays where the user keeps it).
 */
async function tightenTree(root: string): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop()!;
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      // Removed between listing and looking (a temporary file finishing): nothing left to protect.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if (info.isSymbolicLink()) continue;
    const wanted = info.isDirectory() ? privateFolderMode : privateFileMode;
    if ((info.mode & 0o077) !== 0) await chmod(path, (info.mode & 0o700) | wanted);
    if (info.isDirectory()) for (const name of await readdir(path)) pending.push(join(path, name));
  }
}
