import { test } from "node:test";
import assert from "node:assert/strict";
import { ForegroundReads } from "./foregroundReads.ts";

test("background work waits while the user's reads run, and goes on when the last one ends", async () => {
  const reads = new ForegroundReads();
  let resumed = false;
  await reads.idle(); // nothing running: at once

  let finishFirst!: () => void;
  let finishSecond!: () => void;
  const first = reads.run(() => new Promise<string>((resolve) => (finishFirst = () => resolve("first"))));
  const second = reads.run(() => new Promise<string>((resolve) => (finishSecond = () => resolve("second"))));
  assert.equal(reads.running, 2);
  const waiting = reads.idle().then(() => (resumed = true));
  finishFirst();
  assert.equal(await first, "first", "a read's own answer comes back unchanged");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(resumed, false, "one read still runs");
  finishSecond();
  await second;
  await waiting;
  assert.equal(resumed, true);
  assert.equal(reads.running, 0);
});

test("a read that fails still ends, and a read that never ends holds background work back only for a while", async () => {
  const reads = new ForegroundReads();
  await assert.rejects(
    reads.run(() => Promise.reject(new Error("not found"))),
    /not found/,
  );
  assert.equal(reads.running, 0);
  void reads.run(() => new Promise(() => {}));
  const started = performance.now();
  await reads.idle();
  const waited = performance.now() - started;
  assert.ok(waited >= 200 && waited < 2000, `waited ${waited} ms`);
});
