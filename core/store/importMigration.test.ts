import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import { migrations } from "./migrations.ts";

test("migration 5 adds the import records table to a version 4 folder, keeping its conversations", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-db-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const version4 = await Database.open({ directory, migrations: migrations.filter((m) => m.version <= 4) });
  // A folder made before version 5 has no imports table.
  await version4.connection.dropTable("imports");
  await (await version4.table("conversations")).append([{ id: "c1", title: "Old", createdAt: 1, updatedAt: 1 }]);
  await version4.dispose();

  const latest = await Database.open({ directory });
  t.after(() => latest.dispose());
  assert.ok(latest.schemaVersion >= 5);
  assert.ok(await latest.hasTable("imports"));
  const imports = await latest.table("imports");
  assert.equal(await imports.table.countRows(), 0);
  assert.equal(await (await latest.table("conversations")).table.countRows(), 1);
});
