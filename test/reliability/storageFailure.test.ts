/**
 * A full or read-only disk, as LanceDB and Node report it, reaches the caller as a typed, readable error, and
 * background jobs hit by it wait (no attempt spent, not marked failed) instead of being given up or ending the app.
 * The whole path on a real full and read-only disk is in disk.suite.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { toApiError } from "../../core/errors.ts";
import { JobQueue } from "../../core/jobs/jobQueue.ts";
import { Database } from "../../core/store/database.ts";

const lanceFull = new Error(
  "lance error: LanceError(IO): No space left on device (os error 28), /usr/local/cargo/registry/src/lance-file-8.0.0/src/writer.rs:389:9",
);
const lanceReadOnly = new Error(
  "lance error: LanceError(IO): Read-only file system (os error 30), /x/object_store.rs:1:1",
);

test("a full or read-only disk is told in words, with its own code, never as an internal dump", () => {
  const full = toApiError(lanceFull);
  assert.equal(full.code, "insufficient_disk");
  assert.match(full.message, /disk .* is full/);
  assert.doesNotMatch(full.message, /LanceError|cargo/);
  const readOnly = toApiError(lanceReadOnly);
  assert.equal(readOnly.code, "storage_unavailable");
  assert.match(readOnly.message, /read-only disk/);
  assert.equal(
    toApiError(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })).code,
    "insufficient_disk",
  );
  assert.equal(toApiError(new Error("something else")).code, "internal");
});

test("a job whose writes hit a full disk waits and runs later, without spending its attempts", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-jobs-disk-"));
  const db = await Database.open({ directory });
  t.after(async () => {
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  const errors: unknown[] = [];
  const queue = await JobQueue.open(db, {
    isBusy: () => false,
    onError: (error) => errors.push(error),
    maxAttempts: 1,
  });
  t.after(() => queue.dispose());
  t.mock.method(console, "error", () => undefined);
  let runs = 0;
  queue.register("note", async () => {
    runs++;
    if (runs <= 3) throw lanceFull;
  });
  await queue.enqueue([{ kind: "note", payload: {} }]);
  await queue.drain();
  assert.equal(runs, 1);
  assert.equal(queue.pending, 1, "the job waits, it is not given up");
  assert.deepEqual(errors, [], "not reported as failed (maxAttempts is 1: an attempt spent would have failed it)");
  for (let wake = 0; wake < 3; wake++) {
    queue.wake();
    await queue.drain();
  }
  assert.equal(runs, 4);
  assert.equal(queue.pending, 0, "once the disk has room, it ran");
  const rows = await (await db.table("jobs")).table.countRows();
  assert.equal(rows, 0);
});
