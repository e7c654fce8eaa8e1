import { cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/** Backups kept before the oldest is deleted: a few upgrades back, without filling the disk with copies. */
export const backupsKept = 3;

const backupPrefix = "db-before-schema-";
/** Suffixes of folders a crash can leave behind mid-copy; each is finished or removed when the database opens. */
const partialSuffix = ".partial";
const restoringSuffix = ".restoring";
const failedSuffix = ".failed";

/**
 * Copies of the database folder taken before a schema migration, so a migration that fails (or a bug in one found
 * later) can be undone. Every step is crash-safe: a copy is made under a temporary name and renamed when complete,
 * and a restore swaps folders by rename, so a kill at any moment leaves either the old or the new folder whole.
 */
export class DatabaseBackups {
  readonly #directory: string;
  readonly #backupDirectory: string;

  /** `directory` is the database folder; backups go in `backupDirectory` (made on first use). */
  constructor(directory: string, backupDirectory: string) {
    this.#directory = directory;
    this.#backupDirectory = backupDirectory;
  }

  /**
   * Finishes what a crash interrupted: a restore whose new folder was complete is put in place, leftovers of
   * unfinished copies are removed. Runs before the database is opened.
   */
  async recover(): Promise<void> {
    const restoring = this.#directory + restoringSuffix;
    const failed = this.#directory + failedSuffix;
    if (!(await exists(this.#directory)) && (await exists(restoring))) {
      // The swap was cut between its two renames: the restored copy is complete (it was renamed only once whole).
      await rename(restoring, this.#directory);
    }
    await rm(restoring, { recursive: true, force: true });
    await rm(failed, { recursive: true, force: true });
    for (const name of await this.#names()) {
      if (name.endsWith(partialSuffix)) await rm(join(this.#backupDirectory, name), { recursive: true, force: true });
    }
  }

  /** Copies the database folder, as it is before migrating to `nextVersion`; returns the backup's folder. */
  async take(nextVersion: number): Promise<string> {
    const name = `${backupPrefix}${nextVersion}-${Date.now()}`;
    const target = join(this.#backupDirectory, name);
    await mkdir(this.#backupDirectory, { recursive: true });
    await rm(target + partialSuffix, { recursive: true, force: true });
    try {
      await cp(this.#directory, target + partialSuffix, { recursive: true, errorOnExist: true });
    } catch (error) {
      // A copy cut short (a full disk) is worth nothing and takes the space the app needs.
      await rm(target + partialSuffix, { recursive: true, force: true });
      throw error;
    }
    await rename(target + partialSuffix, target);
    await this.#prune();
    return target;
  }

  /** Puts `backup` back in place of the database folder (whose connection must be closed). */
  async restore(backup: string): Promise<void> {
    const restoring = this.#directory + restoringSuffix;
    const failed = this.#directory + failedSuffix;
    await rm(restoring, { recursive: true, force: true });
    await cp(backup, restoring, { recursive: true });
    await rm(failed, { recursive: true, force: true });
    await rename(this.#directory, failed);
    await rename(restoring, this.#directory);
    await rm(failed, { recursive: true, force: true });
  }

  /** Backups present, oldest first. */
  async list(): Promise<string[]> {
    const names = (await this.#names()).filter(
      (name) => name.startsWith(backupPrefix) && !name.endsWith(partialSuffix),
    );
    const stamped = names.map((name) => ({ name, at: Number(name.slice(name.lastIndexOf("-") + 1)) }));
    return stamped.sort((a, b) => a.at - b.at).map(({ name }) => join(this.#backupDirectory, name));
  }

  async #prune(): Promise<void> {
    const all = await this.list();
    for (const old of all.slice(0, Math.max(0, all.length - backupsKept)))
      await rm(old, { recursive: true, force: true });
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.#backupDirectory);
    } catch (error) {
      // Missing, or not a folder (then every copy fails, and says so): no backups either way.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return [];
      throw error;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
