import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readServerAdvert, serverAdvertFile, writeServerAdvert } from "../../core/mcp/serverAdvert.ts";

async function tempFolder(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(join(tmpdir(), "engram-advert-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const advert = { url: "http://127.0.0.1:4321", token: "a".repeat(43), pid: process.pid };

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("server advert", () => {
  test("is written readable only by the user and read back while its process lives", async (t) => {
    const dir = await tempFolder(t);
    const remove = await writeServerAdvert(dir, advert);
    if (process.platform !== "win32") assert.equal((await stat(join(dir, serverAdvertFile))).mode & 0o777, 0o600);
    assert.deepEqual(await readServerAdvert(dir), advert);
    await remove();
    assert.equal(await readServerAdvert(dir), null);
  });

  test("left by a process that has ended, damaged, or pointing off this computer: ignored", async (t) => {
    const dir = await tempFolder(t);
    const path = join(dir, serverAdvertFile);
    await writeFile(path, JSON.stringify({ ...advert, pid: deadPid() }));
    assert.equal(await readServerAdvert(dir), null);
    await writeFile(path, '{"url": "http://127.0.0.1:43');
    assert.equal(await readServerAdvert(dir), null);
    await writeFile(path, JSON.stringify({ ...advert, url: "http://192.168.1.5:4321" }));
    assert.equal(await readServerAdvert(dir), null);
    assert.equal(await readServerAdvert(join(dir, "missing")), null);
  });

  test("removing an old advert leaves a newer one alone", async (t) => {
    const dir = await tempFolder(t);
    const removeOld = await writeServerAdvert(dir, advert);
    await writeServerAdvert(dir, { ...advert, token: "b".repeat(43) });
    await removeOld();
    assert.match(await readFile(join(dir, serverAdvertFile), "utf8"), /bbbb/);
  });
});
