import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "../store/database.ts";
import { JobDeferred, JobQueue } from "./jobQueue.ts";

async function openQueue(t: { after: (fn: () => Promise<void>) => void }, isBusy = () => false) {
  const directory = await mkdtemp(join(tmpdir(), "engram-jobs-"));
  const db = await Database.open({ directory });
  const errors: string[] = [];
  const queue = await JobQueue.open(db, { isBusy, onError: (error) => errors.push(String(error)) });
  t.after(async () => {
    await queue.dispose();
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  return { queue, db, errors };
}

test("a failing job is retried, then kept as failed with its error", async (t) => {
  const { queue, db, errors } = await openQueue(t);
  let runs = 0;
  queue.register("flaky", async () => {
    runs += 1;
    throw new Error("disk hiccup");
  });
  await queue.enqueue([{ kind: "flaky", payload: {} }]);
  await queue.drain();
  assert.equal(runs, 3);
  assert.equal(errors.length, 1);
  const [row] = await (await db.table("jobs")).table.query().toArray();
  assert.equal(row.status, "failed");
  assert.equal(row.error, "disk hiccup");
  assert.equal(queue.pending, 0);
});

test("jobs run in order, and finished ones leave the table", async (t) => {
  const { queue, db } = await openQueue(t);
  const seen: number[] = [];
  queue.register("note", async (payload) => {
    seen.push((payload as { n: number }).n);
  });
  await queue.enqueue([1, 2, 3].map((n) => ({ kind: "note", payload: { n } })));
  await queue.drain();
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(await (await db.table("jobs")).table.countRows(), 0);
});

test("background work waits while chat is busy and deferred jobs wait for wake()", async (t) => {
  let busy = true;
  const { queue } = await openQueue(t, () => busy);
  let ran = 0;
  let ready = false;
  queue.register("needs-model", async () => {
    if (!ready) throw new JobDeferred("no model");
    ran += 1;
  });
  queue.start();
  await queue.enqueue([{ kind: "needs-model", payload: {} }]);
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(ran, 0, "nothing runs while chat is busy");
  busy = false;
  await queue.drain();
  assert.equal(ran, 0);
  assert.equal(queue.pending, 1, "deferred, not dropped");
  ready = true;
  queue.wake();
  await queue.drain();
  assert.equal(ran, 1);
  assert.equal(queue.pending, 0);
});
