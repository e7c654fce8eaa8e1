import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdtemp, readdir, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import { encodeDeletionFile } from "./deletionFiles.ts";
import { eq } from "./sql.ts";

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "engram-repair-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Does to a table's deletion files what a write cut short by a full disk did: leaves them `bytes` long. */
async function damageDeletionFiles(directory: string, table: string, bytes = 0): Promise<string[]> {
  const folder = join(directory, `${table}.lance`, "_deletions");
  const names = await readdir(folder);
  for (const name of names) await truncate(join(folder, name), bytes);
  return names;
}

const conversation = (id: string, title: string) => ({ id, title, createdAt: 1, updatedAt: 1 });

test("a table whose update left an empty deletion file opens again, with the update and every later write", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  const conversations = await first.table("conversations");
  await conversations.append([conversation("c1", "One"), conversation("c2", "Two"), conversation("c3", "Three")]);
  await conversations.write((table) => table.update({ where: eq("id", "c2"), values: { title: "Two, renamed" } }));
  // Acknowledged after the damaged write: a rollback to an older version would lose it.
  await conversations.append([conversation("c4", "Four")]);
  await first.dispose();
  const damaged = await damageDeletionFiles(directory, "conversations");
  assert.equal(damaged.length, 1);

  const second = await Database.open({ directory });
  t.after(() => second.dispose());
  assert.equal(second.repairs.length, 1);
  assert.equal(second.repairs[0]!.table, "conversations");
  assert.deepEqual(second.repairs[0]!.files, damaged);
  assert.equal(second.repairs[0]!.duplicatesRemoved, 1, "the row's pre-update copy is removed again");
  const rows = await (await second.table("conversations")).table.query().toArray();
  assert.equal(await (await second.table("conversations")).table.countRows(), rows.length, "the count is true");
  assert.deepEqual(rows.map((row) => `${row.id}: ${row.title}`).sort(), [
    "c1: One",
    "c2: Two, renamed",
    "c3: Three",
    "c4: Four",
  ]);
});

test("a cut-short bitmap of a big delete is repaired: nothing written after it is lost", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  const conversations = await first.table("conversations");
  await conversations.append(Array.from({ length: 12000 }, (_, index) => conversation(`c${index}`, `Talk ${index}`)));
  await conversations.write((table) => table.update({ where: eq("id", "c10"), values: { title: "Ten" } }));
  await conversations.write((table) => table.delete("title LIKE 'Talk ____'"));
  await conversations.append([conversation("late", "Late")]);
  await first.dispose();
  const names = await readdir(join(directory, "conversations.lance", "_deletions"));
  assert.ok(
    names.some((name) => name.endsWith(".bin")),
    `a big delete writes a bitmap: ${names.join(", ")}`,
  );
  await damageDeletionFiles(directory, "conversations", 5);

  const second = await Database.open({ directory });
  t.after(() => second.dispose());
  assert.equal(second.repairs.length, 1);
  const rows = await (await second.table("conversations")).table.query().select(["id", "title"]).toArray();
  assert.equal(await (await second.table("conversations")).table.countRows(), rows.length, "the count is true");
  const titles = new Map(rows.map((row) => [row.id as string, row.title as string]));
  assert.equal(titles.size, rows.length, "no id twice");
  assert.equal(titles.get("late"), "Late");
  assert.equal(titles.get("c10"), "Ten", "the update made before the damaged delete holds");
  assert.equal(titles.get("c1"), "Talk 1");
});

test("after a damaged delete the deleted row is back, and the table's count says how many rows it holds", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  const conversations = await first.table("conversations");
  await conversations.append([conversation("c1", "One"), conversation("c2", "Two"), conversation("c3", "Three")]);
  await conversations.write((table) => table.delete(eq("id", "c2")));
  await first.dispose();
  await damageDeletionFiles(directory, "conversations");

  const second = await Database.open({ directory });
  t.after(() => second.dispose());
  const handle = await second.table("conversations");
  const ids = (await handle.table.query().select(["id"]).toArray()).map((row) => row.id as string).sort();
  assert.deepEqual(ids, ["c1", "c2", "c3"], "a row deleted by the cut-short write may come back; none is lost");
  assert.equal(await handle.table.countRows(), 3);
});

test("a repair cut short after its files were rewritten is finished at the next open", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  const conversations = await first.table("conversations");
  await conversations.append([conversation("c1", "One"), conversation("c2", "Two")]);
  await conversations.write((table) => table.update({ where: eq("id", "c2"), values: { title: "Two, renamed" } }));
  await first.dispose();
  // What a crash right after the rewrite leaves: files that read, rows not sorted out yet, and the marker.
  const names = await damageDeletionFiles(directory, "conversations");
  for (const name of names) {
    await writeFile(join(directory, "conversations.lance", "_deletions", name), encodeDeletionFile("arrow", []));
  }
  const marker = join(directory, "conversations.lance", "engram-repair.json");
  await writeFile(marker, JSON.stringify({ table: "conversations", files: names, deletionsFromVersion: null }));

  const second = await Database.open({ directory });
  t.after(() => second.dispose());
  assert.equal(second.repairs[0]?.duplicatesRemoved, 1);
  const handle = await second.table("conversations");
  const rows = await handle.table.query().select(["id", "title"]).toArray();
  assert.deepEqual(rows.map((row) => `${row.id}: ${row.title}`).sort(), ["c1: One", "c2: Two, renamed"]);
  assert.equal(await handle.table.countRows(), 2);
  await assert.rejects(access(marker), /ENOENT/, "the repair is done and forgotten");
});

test("a folder with nothing damaged opens with no repair; one damaged otherwise says which table", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  await (await first.table("conversations")).append([conversation("c1", "One")]);
  await first.dispose();
  const second = await Database.open({ directory });
  assert.deepEqual(second.repairs, []);
  await second.dispose();

  const data = join(directory, "conversations.lance", "data");
  for (const name of await readdir(data)) await truncate(join(data, name), 0);
  await assert.rejects(Database.open({ directory }), /cannot read the conversations table/);
});
