import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toApiError } from "../errors.ts";
import { Database } from "./database.ts";
import { reserveBytes } from "./diskReserve.ts";
import { eq } from "./sql.ts";

const megabyte = 2 ** 20;

test("the reserve is 1% of the disk, between 1 MB and 256 MB", () => {
  assert.equal(reserveBytes(8 * megabyte), megabyte);
  assert.equal(reserveBytes(10_000 * megabyte), 100 * megabyte);
  assert.equal(reserveBytes(2 ** 40), 256 * megabyte);
});

test("below the reserve every write is refused as a full disk before it starts, and works again with space", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-reserve-"));
  let free = 500 * megabyte;
  const db = await Database.open({ directory, measureDisk: async () => ({ free, total: 1000 * megabyte }) });
  t.after(async () => {
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  const conversations = await db.table("conversations");
  await conversations.append([{ id: "c1", title: "Kept", createdAt: 1, updatedAt: 1 }]);

  free = 9 * megabyte; // the reserve of a 1,000 MB disk is 10 MB
  const refused = await Promise.allSettled([
    conversations.append([{ id: "c2", title: "Two", createdAt: 1, updatedAt: 1 }]),
    conversations.append([{ id: "c3", title: "Three", createdAt: 1, updatedAt: 1 }]),
    conversations.write((table) => table.update({ where: eq("id", "c1"), values: { title: "'Changed'" } })),
    conversations.write((table) => table.delete(eq("id", "c1"))),
    conversations.optimize(),
  ]);
  for (const outcome of refused) {
    assert.equal(outcome.status, "rejected");
    const error = toApiError((outcome as PromiseRejectedResult).reason);
    assert.equal(error.code, "insufficient_disk");
    assert.match(error.message, /disk .* is full/);
  }
  const rows = await conversations.table.query().toArray();
  assert.deepEqual(
    rows.map((row) => `${row.id}: ${row.title}`),
    ["c1: Kept"],
    "nothing was written, changed or deleted",
  );

  free = 11 * megabyte;
  await conversations.append([{ id: "c2", title: "Two", createdAt: 1, updatedAt: 1 }]);
  assert.equal(await conversations.table.countRows(), 2);
});
