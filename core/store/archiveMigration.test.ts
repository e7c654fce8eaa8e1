import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import { migrations } from "./migrations.ts";
import { eq } from "./sql.ts";

const episode = (id: string, text: string, lastAccessAt: number) => ({
  id,
  conversationId: "c1",
  messageId: "",
  seq: Number(id.slice(1)),
  speaker: "user",
  role: "user",
  text,
  context: `user: ${text}`,
  at: Date.parse("2021-03-01T00:00:00Z"),
  salience: 0.2,
  accessCount: 0,
  lastAccessAt,
  pinned: false,
  edited: false,
});

test("migration 3 starts a version 2 folder's turns fresh and makes its archive searchable, keeping both tiers", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-db-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const version2 = await Database.open({ directory, migrations: migrations.filter((m) => m.version <= 2) });
  // Made before version 3: idle age counted from the turn's own time, so lastAccessAt is the 2021 date.
  const old = Date.parse("2021-03-01T00:00:00Z");
  await (await version2.table("episodes")).append([episode("e1", "My sister lives in Lyon", old)]);
  await (
    await version2.table("episodes_archive")
  ).append([{ ...episode("e2", "The marker m30x is in the drawer", old), archivedAt: old }]);
  await version2.dispose();

  const before = Date.now();
  const latest = await Database.open({ directory });
  assert.ok(latest.schemaVersion >= 3);
  const [hot] = await (await latest.table("episodes")).table.query().where(eq("id", "e1")).toArray();
  assert.equal(hot.text, "My sister lives in Lyon");
  assert.ok(hot.lastAccessAt >= before, "the turn's idle age starts at the upgrade, not in 2021");
  const archive = await latest.table("episodes_archive");
  const indexed = (await archive.table.listIndices()).flatMap((index) => index.columns);
  assert.ok(indexed.includes("text"), `archive indexes: ${indexed.join(", ")}`);
  const found = await archive.table.query().fullTextSearch("m30x", { columns: "text" }).toArray();
  assert.deepEqual(
    found.map((row) => row.id),
    ["e2"],
  );
  await latest.dispose();
});
