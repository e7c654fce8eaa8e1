import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { parseLaunchArguments } from "../../core/server/cliArguments.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "core/server/cli.ts", ...args], { cwd: root });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe("npm run serve", () => {
  test("prints exactly one listening line, serves, and shuts down cleanly on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "engram-cli-"));
    const run = runCli(["--data", dataDir, "--port", "0"]);
    try {
      const deadline = Date.now() + 60_000;
      while (!run.stdout().includes("\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const lines = run.stdout().split("\n").filter(Boolean);
      assert.equal(lines.length, 1, `stdout: ${run.stdout()} stderr: ${run.stderr()}`);
      const match = /^Engram listening on (http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+)$/.exec(lines[0]!);
      assert.ok(match, lines[0]);
      const response = await fetch(`${match[1]}/api/stats.get`, {
        method: "POST",
        headers: { Authorization: `Bearer ${match[3]}` },
      });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { data: { dataDir: string } }).data.dataDir, dataDir);
      run.child.kill("SIGTERM");
      assert.equal(await run.exited, 0);
      assert.match(run.stderr(), /finishing writes/);
      assert.equal(run.stdout().split("\n").filter(Boolean).length, 1);
    } finally {
      run.child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("bad options exit with code 2 and a usage message", async () => {
    const run = runCli(["--port", "http"]);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), /--port/);
    assert.equal(run.stdout(), "");
  });

  test("a --model file that does not exist is refused with code 2, and no data folder is made", async () => {
    const parent = await mkdtemp(join(tmpdir(), "engram-cli-"));
    try {
      const dataDir = join(parent, "data");
      const run = runCli(["--data", dataDir, "--model", join(parent, "missing.gguf")]);
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), /missing\.gguf/);
      assert.equal(run.stdout(), "");
      await assert.rejects(stat(dataDir), /ENOENT/);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  test("options: data folder, port, model file", () => {
    const parsed = parseLaunchArguments(["--data", "/tmp/x", "--port", "8123", "--model", "m.GGUF"]);
    assert.equal(parsed.dataDir, "/tmp/x");
    assert.equal(parsed.port, 8123);
    assert.match(parsed.modelFile ?? "", /m\.GGUF$/);
    assert.throws(() => parseLaunchArguments(["--model", "weights.bin"]), /\.gguf/);
    assert.throws(() => parseLaunchArguments(["--port", "70000"]), /--port/);
    assert.throws(() => parseLaunchArguments(["--bogus"]));
    // Electron adds its own switches; the desktop app parses leniently.
    const lenient = parseLaunchArguments([".", "--no-sandbox", "--data", "/tmp/y"], { strict: false });
    assert.equal(lenient.dataDir, "/tmp/y");
    assert.equal(parseLaunchArguments([], { defaultDataDir: "/d" }).dataDir, "/d");
  });
});
