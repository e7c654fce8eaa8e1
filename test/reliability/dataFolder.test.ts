/**
 * The data folder as a whole: private to the user (0700 folders, 0600 files, whoever writes them), and held by one
 * process at a time, with a lock that a crash (kill -9) does not leave behind.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Engine } from "../../core/engine.ts";
import { EngramError } from "../../core/errors.ts";
import { OpeningEngine } from "../../electron/openingEngine.ts";
import { ScriptedChatModel, ScriptedModelService } from "../support/scriptedModel.ts";

const holdLockScript = fileURLToPath(new URL("./fixtures/holdLock.ts", import.meta.url));
const modesExist = process.platform !== "win32";

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "engram-folder-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every entry under `root` (root included) whose permission bits give anything to group or others. */
async function notPrivate(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string) => {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    const expected = info.isDirectory() ? 0o700 : 0o600;
    if ((info.mode & 0o777) !== expected) found.push(`${path} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(root);
  return found;
}

/** The umask most desktops run with: new files 0644, new folders 0755. */
function withUsualUmask(t: { after: (fn: () => void) => void }): void {
  const previous = process.umask(0o022);
  t.after(() => void process.umask(previous));
}

describe("the data folder is private to the user", { skip: !modesExist && "this platform has no file modes" }, () => {
  test("a new folder and everything the engine writes in it (tables, indexes, backups) are 0700 / 0600", async (t) => {
    withUsualUmask(t);
    const dataDir = join(await tempDir(t), "data");
    const model = new ScriptedChatModel({ reply: () => "Noted." });
    const engine = await Engine.open({ dataDir, runJobs: false, models: new ScriptedModelService(model) });
    const { conversationId } = await engine.call("memory.ingest", {
      turns: [{ speaker: "user", text: "My bank PIN hint is the dog's birthday." }],
    });
    await engine.call("chat.send", { conversationId, text: "What is my PIN hint?" });
    await engine.call("settings.update", { systemPrompt: "Be brief." });
    await engine.drainJobs();
    await engine.maintain();
    // What a model download or the manifest writes goes through the same process, so the same mask.
    await mkdir(join(dataDir, "models"), { recursive: true });
    await writeFile(join(dataDir, "models", "manifest.json"), "{}");
    await engine.dispose();
    assert.deepEqual(await notPrivate(dataDir), []);
  });

  test("a folder an older Engram left 0755 / 0644 is tightened when opened", async (t) => {
    withUsualUmask(t);
    const dataDir = await tempDir(t);
    await (await Engine.open({ dataDir, runJobs: false })).dispose();
    await chmod(dataDir, 0o755);
    await mkdir(join(dataDir, "models"), { mode: 0o755 });
    await writeFile(join(dataDir, "models", "manifest.json"), "{}", { mode: 0o644 });
    const db = join(dataDir, "db");
    for (const name of await readdir(db)) await chmod(join(db, name), 0o755);
    assert.notDeepEqual(await notPrivate(dataDir), []);
    await (await Engine.open({ dataDir, runJobs: false })).dispose();
    assert.deepEqual(await notPrivate(dataDir), []);
  });
});

describe("one process per data folder", () => {
  test("a second engine on the same folder is refused with a clear message, and opens once the first is gone", async (t) => {
    const dataDir = await tempDir(t);
    const first = await Engine.open({ dataDir, runJobs: false, lock: { purpose: "npm run serve" } });
    await assert.rejects(Engine.open({ dataDir, runJobs: false }), (error: unknown) => {
      assert.ok(error instanceof EngramError);
      assert.equal(error.code, "conflict");
      assert.match(error.message, /in use by npm run serve \(process \d+/);
      assert.match(error.message, /Only one Engram can use a data folder at a time/);
      return true;
    });
    // Refused means untouched: the first engine still works.
    await first.call("memory.ingest", { turns: [{ speaker: "user", text: "Still here." }] });
    await first.dispose();
    const second = await Engine.open({ dataDir, runJobs: false });
    assert.equal((await second.call("stats.get", {})).episodes, 1);
    await second.dispose();
  });

  test("the desktop app, opened while another process holds the folder, reports why instead of opening", async (t) => {
    const dataDir = await tempDir(t);
    const holder = await startHolder(t, dataDir);
    const app = new OpeningEngine(
      Engine.open({ dataDir, runJobs: false, lock: { purpose: "the Engram desktop app" } }),
    );
    await assert.rejects(app.opened(), /is in use by a test process \(process \d+/);
    const reply = await app.dispatch("stats.get", {});
    assert.equal(reply.ok, false);
    assert.equal(!reply.ok && reply.error.code, "conflict");
    holder.kill("SIGKILL");
  });

  test("a lock left by a process killed with SIGKILL is taken over at once", async (t) => {
    const dataDir = await tempDir(t);
    const holder = await startHolder(t, dataDir);
    await assert.rejects(Engine.open({ dataDir, runJobs: false }), /in use by a test process/);
    holder.kill("SIGKILL");
    await once(holder, "exit");
    // Without the owner check this would wait for the lock to go stale (thirty seconds); with it, it opens now.
    const engine = await Engine.open({ dataDir, runJobs: false });
    assert.ok(engine);
    await engine.dispose();
  });
});

/** Starts a separate process holding the lock of `dataDir`; resolves once it holds it. */
async function startHolder(t: { after: (fn: () => void) => void }, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", holdLockScript, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => void child.kill("SIGKILL"));
  let output = "";
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes("locked")) break;
  }
  assert.match(output, /locked/);
  return child;
}
