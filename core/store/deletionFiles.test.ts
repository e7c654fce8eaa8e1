import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@lancedb/lancedb";
import { encodeDeletionFile, isWholeDeletionFile, parseDeletionFileName } from "./deletionFiles.ts";

test("deletion file names and damage are told apart", () => {
  assert.deepEqual(parseDeletionFileName("44-121-8850402949404253157.arrow"), {
    fragment: 44,
    readVersion: 121,
    kind: "arrow",
  });
  assert.equal(parseDeletionFileName("44-121-8850402949404253157.arrow.repair"), null);
  for (const kind of ["arrow", "bin"] as const) {
    for (const offsets of [[], [3, 1, 2], Array.from({ length: 5000 }, (_, index) => 2 * index)]) {
      const bytes = encodeDeletionFile(kind, offsets);
      assert.ok(isWholeDeletionFile(kind, bytes), `${kind} of ${offsets.length}`);
      assert.equal(isWholeDeletionFile(kind, bytes.subarray(0, bytes.length - 1)), false, `${kind} cut by a byte`);
      assert.equal(isWholeDeletionFile(kind, new Uint8Array(0)), false, `${kind} empty`);
    }
  }
});

test("LanceDB reads the deletion files written here as its own (array and bitmap containers)", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-deletions-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const db = await connect(directory);
  const table = await db.createTable(
    "t",
    Array.from({ length: 70_000 }, (_, index) => ({ id: index })),
  );
  // A bitmap: every third row of the first 65,536 (one full container) and a few beyond.
  await table.delete("id % 3 = 0 AND (id < 65536 OR id > 69990)");
  const [name] = await readdir(join(directory, "t.lance", "_deletions"));
  assert.match(name!, /\.bin$/);
  const before = (await table.query().select(["id"]).toArray()).map((row) => Number(row.id)).sort((a, b) => a - b);
  const deleted = Array.from({ length: 70_000 }, (_, index) => index).filter(
    (id) => id % 3 === 0 && (id < 65536 || id > 69990),
  );
  await writeFile(join(directory, "t.lance", "_deletions", name!), encodeDeletionFile("bin", deleted));
  table.close();
  const reopened = await (await connect(directory)).openTable("t");
  const after = (await reopened.query().select(["id"]).toArray()).map((row) => Number(row.id)).sort((a, b) => a - b);
  assert.deepEqual(after, before);
  reopened.close();
});
