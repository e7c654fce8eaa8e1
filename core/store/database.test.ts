import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import { latestSchemaVersion, migrations, type Migration } from "./migrations.ts";
import { eq } from "./sql.ts";

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "engram-db-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test("a new data folder is migrated to the latest schema", async (t) => {
  const db = await Database.open({ directory: await tempDir(t) });
  assert.equal(db.schemaVersion, migrations.at(-1)!.version);
  for (const name of ["conversations", "messages", "episodes", "episodes_archive", "summaries", "jobs", "settings"]) {
    assert.ok(await db.hasTable(name), `table ${name} exists`);
  }
  await db.dispose();
});

test("a later migration runs once on an existing folder and keeps its data", async (t) => {
  const directory = await tempDir(t);
  const first = await Database.open({ directory });
  const conversations = await first.table("conversations");
  await conversations.append([{ id: "c1", title: "Trip", createdAt: 1, updatedAt: 1 }]);
  await first.dispose();

  let runs = 0;
  const addColour: Migration = {
    version: migrations.at(-1)!.version + 1,
    description: "conversations get a colour",
    async up(connection) {
      runs += 1;
      const table = await connection.openTable("conversations");
      await table.addColumns([{ name: "colour", valueSql: "'grey'" }]);
      table.close();
    },
  };
  const second = await Database.open({ directory, migrations: [...migrations, addColour] });
  assert.equal(second.schemaVersion, addColour.version);
  const [row] = await (await second.table("conversations")).table.query().where(eq("id", "c1")).toArray();
  assert.equal(row.title, "Trip");
  assert.equal(row.colour, "grey");
  await second.dispose();

  const third = await Database.open({ directory, migrations: [...migrations, addColour] });
  assert.equal(runs, 1, "a migration already applied is not run again");
  await third.dispose();
});

test("migration 2 indexes episode positions in a folder made by version 1, keeping its episodes", async (t) => {
  const directory = await tempDir(t);
  const version1 = await Database.open({ directory, migrations: migrations.filter((m) => m.version === 1) });
  const episode = {
    id: "e1",
    conversationId: "c1",
    messageId: "",
    seq: 0,
    speaker: "user",
    role: "user",
    text: "My sister lives in Lyon",
    context: "user: My sister lives in Lyon",
    at: 1,
    salience: 0.5,
    accessCount: 0,
    lastAccessAt: 0,
    pinned: false,
    edited: false,
  };
  await (await version1.table("episodes")).append([episode]);
  await version1.dispose();

  const latest = await Database.open({ directory });
  assert.equal(latest.schemaVersion, latestSchemaVersion);
  const episodes = await latest.table("episodes");
  const indexed = (await episodes.table.listIndices()).flatMap((index) => index.columns);
  assert.ok(indexed.includes("seq"), `indexes: ${indexed.join(", ")}`);
  const [row] = await episodes.table.query().where(eq("id", "e1")).toArray();
  assert.equal(row.text, "My sister lives in Lyon");
  await latest.dispose();
});

test("a folder written by a newer version is refused, not damaged", async (t) => {
  const directory = await tempDir(t);
  const newer: Migration = { version: 99, description: "future", up: async () => {} };
  await (await Database.open({ directory, migrations: [...migrations, newer] })).dispose();
  await assert.rejects(Database.open({ directory }), /newer Engram/);
});

test("appends made together land in one batch and are all readable", async (t) => {
  const db = await Database.open({ directory: await tempDir(t) });
  const conversations = await db.table("conversations");
  const before = await conversations.table.version();
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      conversations.append([{ id: `c${i}`, title: `T${i}`, createdAt: i, updatedAt: i }]),
    ),
  );
  assert.equal(await conversations.table.countRows(), 50);
  assert.equal((await conversations.table.version()) - before, 1, "fifty appends, one new version");
  await db.dispose();
});
