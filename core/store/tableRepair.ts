import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Connection, Table } from "@lancedb/lancedb";
import { EngramError } from "../errors.ts";
import {
  encodeDeletionFile,
  isWholeDeletionFile,
  parseDeletionFileName,
  type DeletionFileName,
} from "./deletionFiles.ts";
import { isIn } from "./sql.ts";

/** What the repair of one table did, for the log. */
export interface TableRepair {
  table: string;
  /** The deletion files that were rewritten. */
  files: string[];
  /** The version whose deletions the rewritten files now hold, or null when no older version could be read. */
  deletionsFromVersion: number | null;
  /** Rows that had come back beside their newer copy (the old side of an update) and were removed again. */
  duplicatesRemoved: number;
}

/** Older versions tried, newest first, when looking for one that reads. */
const versionsTried = 50;
/** Row ids per delete statement. */
const deleteChunk = 500;

/**
 * Makes every table of the database readable again after a write that a full disk cut short, before anything else
 * reads it. Runs at every open; a table that reads costs one one-row query.
 *
 * What it repairs: LanceDB 0.31 can commit a delete or update whose deletion file (the rows it removed from a data
 * file, see deletionFiles.ts) was written empty when the disk filled. The process that wrote it keeps the rows in
 * memory and goes on working, but every later open of the table fails on that file
 * (`invalid seek to a negative or overflowing position`), and Engram would not start on the user's memories.
 * Rolling the table back to an older version would lose what was written after it, acknowledged turns included. So
 * the damaged file is rewritten instead, with the rows that file's data file had lost in the newest version that
 * still reads: nothing written since is lost. What the interrupted delete or update had removed is back: an updated
 * row's old copy is removed again (the newer copy, further along the table, is kept), and a deleted row stays (a
 * job runs again, a forgotten turn is hot once more until forgetting moves it again). Reported, never silent.
 */
export async function repairUnreadableTables(connection: Connection, directory: string): Promise<TableRepair[]> {
  const repairs: TableRepair[] = [];
  for (const name of await connection.tableNames()) {
    const table = await connection.openTable(name);
    const folder = join(directory, `${name}.lance`);
    try {
      const failure = await readFailure(table);
      if (failure !== null) repairs.push(await repairTable(table, folder, failure));
      else {
        // A repair that a crash cut short after the files were rewritten: the table reads, its rows are not sorted out.
        const unfinished = await readMarker(folder);
        if (unfinished) repairs.push(await finishRepair(table, folder, unfinished));
      }
    } finally {
      table.close();
    }
  }
  return repairs;
}

/** Kept in the table's folder from before the first file is rewritten until the repair is finished. */
const markerName = "engram-repair.json";

async function readMarker(folder: string): Promise<Omit<TableRepair, "duplicatesRemoved"> | null> {
  try {
    return JSON.parse(await readFile(join(folder, markerName), "utf8")) as Omit<TableRepair, "duplicatesRemoved">;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** What reading a row of the table threw (a scan opens every deletion file first), or null when it reads. */
async function readFailure(table: Table): Promise<unknown> {
  try {
    await table.query().limit(1).toArray();
    return null;
  } catch (error) {
    return error;
  }
}

async function repairTable(table: Table, folder: string, failure: unknown): Promise<TableRepair> {
  const damaged = await damagedDeletionFiles(join(folder, "_deletions"));
  const cannotRead = (why: string) =>
    new EngramError(
      "internal",
      `Engram cannot read the ${table.name} table of its data folder (${folder}): ${why}. A copy of the folder from before the last schema upgrade, if any, is in the backups folder beside it.`,
      { cause: failure },
    );
  if (damaged.length === 0) throw cannotRead(failure instanceof Error ? failure.message : String(failure));
  const version = await newestReadableVersion(table);
  const lost = version === null ? new Map<number, number[]>() : await deletionsAt(table, version);
  await table.checkoutLatest();
  const started = { table: table.name, files: damaged.map(({ name }) => name), deletionsFromVersion: version };
  await writeFile(join(folder, markerName), JSON.stringify(started));
  for (const { name, file } of damaged) {
    const path = join(folder, "_deletions", name);
    // Written beside it and renamed over it, so a crash mid-repair leaves the old file or the new one.
    await writeFile(`${path}.repair`, encodeDeletionFile(file.kind, lost.get(file.fragment) ?? []));
    await rename(`${path}.repair`, path);
  }
  await table.checkoutLatest();
  const still = await readFailure(table);
  if (still !== null) throw cannotRead(`still unreadable after its damaged deletion files were rewritten`);
  return finishRepair(table, folder, started);
}

/** Sorts out the rows of a table whose damaged files were rewritten, then forgets the repair. */
async function finishRepair(
  table: Table,
  folder: string,
  started: Omit<TableRepair, "duplicatesRemoved">,
): Promise<TableRepair> {
  const key = await keyColumn(table);
  const duplicatesRemoved = key ? await removeOlderCopies(table, key) : 0;
  const fragments = started.files.map((name) => parseDeletionFileName(name)?.fragment ?? -1).filter((id) => id >= 0);
  if (key) await recount(table, key, new Set(fragments));
  await rm(join(folder, markerName));
  return { ...started, duplicatesRemoved };
}

async function damagedDeletionFiles(folder: string): Promise<{ name: string; file: DeletionFileName }[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return []; // no delete ever ran on this table
    throw error;
  }
  const damaged: { name: string; file: DeletionFileName }[] = [];
  for (const name of names) {
    const file = parseDeletionFileName(name);
    if (file && !isWholeDeletionFile(file.kind, await readFile(join(folder, name)))) damaged.push({ name, file });
  }
  return damaged;
}

/** The newest version before the latest that reads, checked out; null when none of the last few does. */
async function newestReadableVersion(table: Table): Promise<number | null> {
  const versions = (await table.listVersions()).map(({ version }) => version).sort((a, b) => b - a);
  for (const version of versions.slice(1, 1 + versionsTried)) {
    await table.checkout(version);
    if ((await readFailure(table)) === null) return version;
  }
  return null;
}

/**
 * The row offsets each data file had lost at the checked-out version: every offset up to its last live row that is
 * not live. (Rows removed after its last live one are not known, and come back.)
 */
async function deletionsAt(table: Table, version: number): Promise<Map<number, number[]>> {
  await table.checkout(version);
  const live = new Map<number, Set<number>>();
  const first = (await table.schema()).fields[0]!.name;
  await forEachRowId(table, first, (_value, rowId) => {
    const fragment = Number(rowId >> 32n);
    const offsets = live.get(fragment) ?? new Set<number>();
    offsets.add(Number(rowId & 0xffffffffn));
    live.set(fragment, offsets);
  });
  const lost = new Map<number, number[]>();
  for (const [fragment, offsets] of live) {
    let last = 0;
    for (const offset of offsets) last = Math.max(last, offset);
    const missing: number[] = [];
    for (let offset = 0; offset < last; offset++) if (!offsets.has(offset)) missing.push(offset);
    lost.set(fragment, missing);
  }
  return lost;
}

/** Calls `each` with a column's value and the row id of every row, batch by batch (no row objects: 1M rows). */
async function forEachRowId(
  table: Table,
  column: string,
  each: (value: unknown, rowId: bigint) => void,
): Promise<void> {
  for await (const batch of table.query().select([column]).withRowId()) {
    const values = batch.getChild(column)!;
    const rowIds = batch.getChild("_rowid")!;
    for (let i = 0; i < batch.numRows; i += 1) each(values.get(i), BigInt(rowIds.get(i) as bigint));
  }
}

/** The column that names a row in every Engram table (`id`, or `key` for meta, settings and imports). */
async function keyColumn(table: Table): Promise<string | undefined> {
  const fields = (await table.schema()).fields.map((field) => field.name);
  return ["id", "key"].find((name) => fields.includes(name));
}

/**
 * Makes the table's row count true again. The manifest still counts the rows the interrupted write had deleted as
 * deleted, and `countRows()` reads that count, not the rewritten file. Deleting one live row of each repaired data
 * file and appending it again, in one merge (a crash cannot lose it or leave it twice), makes LanceDB write that
 * file's deletions anew, counted from what it now holds.
 */
async function recount(table: Table, key: string, fragments: Set<number>): Promise<void> {
  for (const fragment of fragments) {
    const first = BigInt(fragment) << 32n;
    const inFragment = `_rowid >= ${first} AND _rowid < ${first + (1n << 32n)}`;
    const rows = await table.query().where(inFragment).withRowId().limit(1).toArrow();
    if (rows.numRows === 0) continue;
    const rowId = BigInt(rows.getChild("_rowid")!.get(0) as bigint);
    const row = await table.query().where(`_rowid = ${rowId}`).toArrow();
    await table.mergeInsert(key).whenMatchedUpdateAll().execute(row);
  }
}

/**
 * Removes the older copy of every key that has two: an update writes the new row further along the table and marks
 * the old one deleted, and it is that mark a repaired file may have lost.
 */
async function removeOlderCopies(table: Table, key: string): Promise<number> {
  const newest = new Map<string, bigint>();
  const older: bigint[] = [];
  await forEachRowId(table, key, (value, rowId) => {
    const id = String(value);
    const kept = newest.get(id);
    if (kept === undefined) newest.set(id, rowId);
    else {
      older.push(kept < rowId ? kept : rowId);
      if (kept < rowId) newest.set(id, rowId);
    }
  });
  for (let start = 0; start < older.length; start += deleteChunk) {
    await table.delete(isIn("_rowid", older.slice(start, start + deleteChunk).map(Number)));
  }
  return older.length;
}
