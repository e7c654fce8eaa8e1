import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DataFolderLock, lockFolderName, lockOwnerFileName } from "./dataFolderLock.ts";

test("a lock lost to another owner is released without an error and leaves the new owner's record alone", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-lock-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  let reportLost: (error: Error) => void = () => {};
  const lost = new Promise<Error>((resolve) => (reportLost = resolve));
  const first = await DataFolderLock.acquire(dataDir, { purpose: "first", onLost: (error) => reportLost(error) });

  // The first owner froze past the stale threshold (played by aging its lock), and a second one took the folder.
  await utimes(join(dataDir, lockFolderName), new Date(0), new Date(0));
  const second = await DataFolderLock.acquire(dataDir, { purpose: "second" });
  t.after(() => second.release());

  // The first owner's next refresh finds the lock is no longer its own. (Its timer does not hold the process open.)
  const keepAlive = setInterval(() => {}, 1_000);
  t.after(() => clearInterval(keepAlive));
  assert.match((await lost).message, /stale threshold|ECOMPROMISED/i);
  assert.equal(first.held, false);
  await first.release();
  await first.release();

  assert.equal(second.held, true);
  const owner = JSON.parse(await readFile(join(dataDir, lockOwnerFileName), "utf8")) as { purpose: string };
  assert.equal(owner.purpose, "second");
  await second.release();
  assert.equal(existsSync(join(dataDir, lockFolderName)), false);
});
