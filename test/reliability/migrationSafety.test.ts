/**
 * Schema migrations cannot cost the user their memories: a copy of the database is taken before a migration runs on
 * a folder with data, a migration that throws is undone (the folder goes back to the copy) and the app still opens,
 * and a crash in the middle of a copy or a restore leaves a whole folder behind.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Engine } from "../../core/engine.ts";
import { Database } from "../../core/store/database.ts";
import { backupsKept, DatabaseBackups } from "../../core/store/databaseBackups.ts";
import { migrations, type Migration } from "../../core/store/migrations.ts";
import { tableSchemas } from "../../core/store/schema.ts";
import { eq } from "../../core/store/sql.ts";

const latest = migrations.at(-1)!.version;

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "engram-migrate-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A migration that does real damage (renames a conversation, adds a table) and then fails. */
const failingAfterDamage = (version: number): Migration => ({
  version,
  description: "fails half way",
  async up(connection) {
    const conversations = await connection.openTable("conversations");
    await conversations.update({ where: "true", values: { title: "DAMAGED" } });
    conversations.close();
    await connection.createEmptyTable("half_made", tableSchemas.meta, { existOk: true });
    throw new Error("disk said no");
  },
});

async function folderWithData(dataDir: string): Promise<void> {
  const db = await Database.open({ directory: join(dataDir, "db"), backupDirectory: join(dataDir, "backups") });
  await (await db.table("conversations")).append([{ id: "c1", title: "Trip to Porto", createdAt: 1, updatedAt: 1 }]);
  await db.dispose();
}

describe("migration safety net", () => {
  test("a migration that throws is rolled back: same version, same data, nothing half made, the copy kept", async (t) => {
    const dataDir = await tempDir(t);
    await folderWithData(dataDir);
    const reports: unknown[] = [];
    const db = await Database.open({
      directory: join(dataDir, "db"),
      backupDirectory: join(dataDir, "backups"),
      migrations: [...migrations, failingAfterDamage(latest + 1)],
      onBackgroundError: (error) => reports.push(error),
    });
    assert.equal(db.schemaVersion, latest);
    assert.match(db.migrationFailure ?? "", /failed and was undone.*disk said no/);
    assert.equal(reports.length, 1);
    const [row] = await (await db.table("conversations")).table.query().where(eq("id", "c1")).toArray();
    assert.equal(row.title, "Trip to Porto");
    assert.equal(await db.hasTable("half_made"), false);
    await db.dispose();
    const backups = await readdir(join(dataDir, "backups"));
    assert.equal(backups.length, 1);
    assert.match(backups[0]!, new RegExp(`^db-before-schema-${latest + 1}-\\d+$`));

    // Fixed in the next release: the same folder migrates.
    const fixed: Migration = { version: latest + 1, description: "fixed", up: async () => undefined };
    const upgraded = await Database.open({
      directory: join(dataDir, "db"),
      backupDirectory: join(dataDir, "backups"),
      migrations: [...migrations, fixed],
    });
    assert.equal(upgraded.schemaVersion, latest + 1);
    assert.equal(upgraded.migrationFailure, null);
    await upgraded.dispose();
  });

  test("the app opens on a folder whose migration fails, with every memory it had", async (t) => {
    const dataDir = await tempDir(t);
    const before = await Engine.open({ dataDir, runJobs: false });
    const { conversationId } = await before.call("memory.ingest", {
      turns: [{ speaker: "user", text: "My locker code is 4471." }],
    });
    await before.dispose();
    const engine = await Engine.open({
      dataDir,
      runJobs: false,
      migrations: [...migrations, failingAfterDamage(latest + 1)],
    });
    t.after(() => engine.dispose());
    const stats = await engine.call("stats.get", {});
    assert.equal(stats.schemaVersion, latest);
    assert.equal(stats.episodes, 1);
    assert.equal((await engine.call("memory.search", { query: "locker code" })).hits.length, 1);
    const conversation = (await engine.call("conversations.list", {})).conversations.find(
      (entry) => entry.id === conversationId,
    );
    assert.notEqual(conversation?.title, "DAMAGED");
    // And it keeps working: a new turn is stored and found.
    await engine.call("memory.ingest", { conversationId, turns: [{ speaker: "user", text: "Gym on Tuesdays." }] });
    assert.equal((await engine.call("stats.get", {})).episodes, 2);
  });

  test("a backup is taken before each run of migrations on a folder with data; only the last few are kept", async (t) => {
    const dataDir = await tempDir(t);
    await folderWithData(dataDir);
    const steps = [...migrations];
    for (let run = 1; run <= backupsKept + 2; run++) {
      steps.push({ version: latest + run, description: `step ${run}`, up: async () => undefined });
      const db = await Database.open({
        directory: join(dataDir, "db"),
        backupDirectory: join(dataDir, "backups"),
        migrations: steps,
      });
      assert.equal(db.schemaVersion, latest + run);
      await db.dispose();
    }
    const kept = await new DatabaseBackups(join(dataDir, "db"), join(dataDir, "backups")).list();
    assert.equal(kept.length, backupsKept);
    // The newest copies remain; each is a database that opens with the data it had.
    const copy = await Database.open({ directory: kept.at(-1)!, migrations: steps });
    const [row] = await (await copy.table("conversations")).table.query().where(eq("id", "c1")).toArray();
    assert.equal(row.title, "Trip to Porto");
    await copy.dispose();
  });

  test("a new folder is not backed up (there is nothing to lose)", async (t) => {
    const dataDir = await tempDir(t);
    await (await Engine.open({ dataDir, runJobs: false })).dispose();
    assert.deepEqual(await readdir(dataDir).then((names) => names.filter((name) => name === "backups")), []);
  });

  test("when the copy cannot be made, nothing is migrated and the folder opens as it was", async (t) => {
    const dataDir = await tempDir(t);
    await folderWithData(dataDir);
    // A file where the backups folder should be: every copy fails.
    await writeFile(join(dataDir, "backups"), "not a folder");
    let ran = false;
    const db = await Database.open({
      directory: join(dataDir, "db"),
      backupDirectory: join(dataDir, "backups"),
      migrations: [...migrations, { version: latest + 1, description: "x", up: async () => void (ran = true) }],
      onBackgroundError: () => undefined,
    });
    assert.equal(ran, false);
    assert.equal(db.schemaVersion, latest);
    assert.match(db.migrationFailure ?? "", /could not be backed up/);
    await db.dispose();
  });

  test("a crash between the two renames of a restore is finished on the next open", async (t) => {
    const dataDir = await tempDir(t);
    await folderWithData(dataDir);
    const directory = join(dataDir, "db");
    // The state a kill leaves after `db` went aside and before the complete copy took its name.
    await cp(directory, `${directory}.restoring`, { recursive: true });
    await rename(directory, `${directory}.failed`);
    const db = await Database.open({ directory, backupDirectory: join(dataDir, "backups") });
    const [row] = await (await db.table("conversations")).table.query().where(eq("id", "c1")).toArray();
    assert.equal(row.title, "Trip to Porto");
    await db.dispose();
    assert.deepEqual((await readdir(dataDir)).sort(), ["db"]);
  });

  test("a copy cut short by a crash is removed, never listed as a backup", async (t) => {
    const dataDir = await tempDir(t);
    await folderWithData(dataDir);
    const partial = join(dataDir, "backups", `db-before-schema-9-${Date.now()}.partial`);
    await cp(join(dataDir, "db"), partial, { recursive: true });
    const backups = new DatabaseBackups(join(dataDir, "db"), join(dataDir, "backups"));
    assert.deepEqual(await backups.list(), []);
    await backups.recover();
    assert.deepEqual(await readdir(join(dataDir, "backups")), []);
  });
});
