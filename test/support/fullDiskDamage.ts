import { readdir, truncate } from "node:fs/promises";
import { join } from "node:path";

/**
 * Does to a table of an Engram data folder what a write cut short by a full disk did with LanceDB 0.31: leaves its
 * deletion files empty (core/store/tableRepair.ts). Answers how many there were.
 */
export async function emptyDeletionFiles(dataDir: string, table: string): Promise<number> {
  const folder = join(dataDir, "db", `${table}.lance`, "_deletions");
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  for (const name of names) await truncate(join(folder, name), 0);
  return names.length;
}
