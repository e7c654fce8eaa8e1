import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Schema } from "apache-arrow";
import { Database } from "./database.ts";
import { migrations } from "./migrations.ts";
import { tableSchemas } from "./schema.ts";
import { eq } from "./sql.ts";

test("migration 4 adds the semantic tables and history change ids to a version 2 folder, keeping its history", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-db-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const version2 = await Database.open({ directory, migrations: migrations.filter((m) => m.version <= 2) });
  // A folder made before version 4 has no semantic tables and a history without change ids.
  for (const name of ["facts", "entities", "relations", "mentions", "memory_history"]) {
    await version2.connection.dropTable(name);
  }
  const oldHistory = new Schema(tableSchemas.memory_history.fields.filter((field) => field.name !== "changeId"));
  await version2.connection.createEmptyTable("memory_history", oldHistory);
  const history = await version2.connection.openTable("memory_history");
  await history.add([
    {
      id: "h1",
      memoryId: "e1",
      memoryKind: "episode",
      actor: "user",
      action: "pin",
      before: "false",
      after: "true",
      at: 1,
    },
  ]);
  history.close();
  await version2.dispose();

  const latest = await Database.open({ directory });
  t.after(() => latest.dispose());
  assert.ok(latest.schemaVersion >= 4);
  for (const name of ["facts", "entities", "relations", "mentions"]) assert.ok(await latest.hasTable(name), name);
  const facts = await latest.table("facts");
  assert.ok((await facts.table.listIndices()).some((index) => index.columns.includes("statement")));
  const [row] = await (await latest.table("memory_history")).table.query().where(eq("id", "h1")).toArray();
  assert.equal(row.action, "pin");
  assert.equal(row.changeId, null);
});
