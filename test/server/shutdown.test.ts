import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { ensureTinyModel } from "../model/fixtures/tinyModel.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const stories260K = join(root, "..", "shared", "models", "stories260K", "stories260K.gguf");

/** Pids of the live processes in a process group (from /proc: Linux only, like the signal this test sends). */
function groupMembers(groupId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone between the listing and the read
    }
    // Fields after the command (which may hold spaces) in parentheses: state, ppid, pgrp.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === groupId) members.push(Number(entry));
  }
  return members;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** `npm run serve` as a terminal runs it: its own process group, so Ctrl+C (SIGINT to the group) reaches all of it. */
function serve(dataDir: string, modelFile: string) {
  const child = spawn(
    join(root, "node_modules", ".bin", "tsx"),
    ["core/server/cli.ts", "--data", dataDir, "--port", "0", "--model", modelFile],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the event stream and resolves at the first streamed token of a reply. */
function firstToken(origin: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = request(`${origin}/api/events`, { headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("chat.token")) {
          resolve();
          response.destroy();
        }
      });
      response.on("error", () => undefined);
    });
    stream.on("error", reject);
    stream.end();
  });
}

/** The command line of a process ("" once it is gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * Starts the real server on a real GGUF, sends a few chats and waits until a reply streams; then `stop` ends the
 * server somehow, and every process of the group must be gone soon after, with nothing but one-line messages on
 * stderr.
 */
async function stopWhileStreaming(stop: (group: { groupId: number; members: number[] }) => void): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-shutdown-"));
  const run = serve(dataDir, modelFile);
  const groupId = run.child.pid!;
  try {
    const line = await until(
      "the listening line",
      () => /Engram listening on (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(run.stdout()) ?? undefined,
      120_000,
    );
    const [, origin, token] = line;
    const streaming = firstToken(origin!, token!);
    // A few replies, so one is surely streaming when the server is stopped.
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${origin}/api/chat.send`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ text: `Once upon a time there was a little dog number ${i}.` }),
      });
      assert.equal(response.status, 200, await response.text());
    }
    await streaming;
    const members = groupMembers(groupId);
    assert.ok(
      members.some((pid) => commandLine(pid).includes("modelHostEntry")),
      `the model host runs: ${members.map(commandLine).join(" | ")}`,
    );

    stop({ groupId, members });
    const survivors = await until(
      "every process of the group to end",
      () => (members.some(alive) ? undefined : []),
      30_000,
    ).catch(() => members.filter(alive).map((pid) => `${pid} ${commandLine(pid)}`));
    assert.deepEqual(survivors, [], `still running; stderr: ${run.stderr()}`);
    assert.doesNotMatch(run.stderr(), /ERR_IPC_CHANNEL_CLOSED|\n\s+at /, "no stack on stderr");
  } finally {
    for (const pid of groupMembers(groupId)) process.kill(pid, "SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  }
}

const modelFile = existsSync(stories260K) ? stories260K : ensureTinyModel().modelPath;

describe("the model host ends with the server", () => {
  test("Ctrl+C (SIGINT to the process group) while a reply streams ends every process, without a stack", async () => {
    await stopWhileStreaming(({ groupId }) => process.kill(-groupId, "SIGINT"));
  });

  test("a server killed outright while a reply streams takes its model host with it, without a stack", async () => {
    await stopWhileStreaming(({ members }) => {
      const host = members.find((pid) => commandLine(pid).includes("modelHostEntry"))!;
      const server = Number(readFileSync(`/proc/${host}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      process.kill(server, "SIGKILL");
    });
  });
});
