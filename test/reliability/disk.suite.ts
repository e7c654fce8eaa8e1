/**
 * A full disk and a read-only disk, on a small tmpfs the suite mounts (root only; skipped with a message where it
 * cannot mount): the caller gets a clear, typed refusal (insufficient_disk 507, storage_unavailable 503), the server
 * keeps running and keeps answering reads, nothing acknowledged is lost or damaged, and writing works again once
 * space returns or the disk is writable, across a restart too.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HeadlessProcess } from "./support/headlessProcess.ts";
import { Ledger } from "./support/ledger.ts";
import { recordResult } from "./support/report.ts";

function mount(args: string[]): string | null {
  try {
    execFileSync("mount", args, { stdio: "pipe" });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
}

describe("full and read-only disks", { timeout: 30 * 60_000 }, () => {
  let mountPoint = "";
  let mounted = false;
  let skip: string | false = false;
  const ledger = new Ledger();
  let server: HeadlessProcess | null = null;
  let conversationId = "";
  const outcome: string[] = [];

  before(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), "engram-disk-"));
    const failure = mount(["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mountPoint]);
    if (failure) skip = `cannot mount a tmpfs here (${failure}): run as root on Linux to test full and read-only disks`;
    else mounted = true;
  });
  after(async () => {
    await server?.stop("SIGKILL");
    if (mounted) mount(["-o", "remount,rw", mountPoint]);
    if (mounted) execFileSync("umount", [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
    if (!skip) recordResult({ suite: "disk", summary: outcome.join("; ") });
  });

  const dataDir = () => join(mountPoint, "data");
  /** One turn of about 20 KB, so the disk fills in a few hundred calls. */
  const bigTurn = (index: number) => ({
    speaker: "user",
    text: `Turn ${index}: ${"the quick brown fox jumps over the lazy dog ".repeat(450)}`,
  });

  test("a full disk refuses writes with insufficient_disk, keeps reads and loses nothing acknowledged", async (t) => {
    if (skip) return t.skip(skip);
    server = await HeadlessProcess.start({ dataDir: dataDir() });
    ({ id: conversationId } = await server.data<{ id: string }>("conversations.create", { title: "Filling up" }));
    ledger.conversation(conversationId);
    let refusal: { status: number; code?: string; message?: string } | null = null;
    for (let index = 0; index < 5000 && !refusal; index++) {
      const reply = await server.call("memory.ingest", { conversationId, turns: [bigTurn(index)] });
      if (reply.body.ok) ledger.ingested(conversationId, (reply.body.data as { episodeIds: string[] }).episodeIds);
      else refusal = { status: reply.status, code: reply.body.error?.code, message: reply.body.error?.message };
    }
    assert.ok(refusal, "the 8 MB disk filled up");
    assert.equal(refusal.status, 507, JSON.stringify(refusal));
    assert.equal(refusal.code, "insufficient_disk");
    assert.match(refusal.message ?? "", /disk .* is full/);
    assert.doesNotMatch(
      refusal.message ?? "",
      /LanceError|os error|\/tmp\//,
      "the message is for a person, not a dump",
    );
    // Every other write is refused the same way; the server lives on and reads still work.
    for (const [method, input] of [
      ["memory.ingest", { conversationId, turns: [bigTurn(-1)] }],
      ["chat.send", { conversationId, text: "Are you there?" }],
    ] as const) {
      const reply = await server.call(method, input);
      assert.ok(
        reply.status === 507 || reply.status === 503,
        `${method}: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    assert.ok(server.alive);
    assert.equal((await server.call("memory.search", { query: "quick brown fox" })).status, 200);
    assert.deepEqual((await ledger.verify(server)).lost, []);
    outcome.push(`full disk: refused with 507 insufficient_disk after ${ledger.acknowledged} turns, none lost`);
  });

  test("when space returns, writing works again, and a restart finds everything", async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(mount(["-o", "remount,size=256m", mountPoint]), null);
    const reply = await server!.call("memory.ingest", { conversationId, turns: [bigTurn(9000)] });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    ledger.ingested(conversationId, (reply.body.data as { episodeIds: string[] }).episodeIds);
    await server!.stop("SIGKILL");
    server = await HeadlessProcess.start({ dataDir: dataDir() });
    assert.deepEqual((await ledger.verify(server)).lost, []);
    outcome.push("space back: writes resume, restart finds all");
  });

  test("a disk turned read-only refuses writes with storage_unavailable, keeps reads, and recovers", async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(mount(["-o", "remount,ro", mountPoint]), null);
    const refused = await server!.call("memory.ingest", { conversationId, turns: [bigTurn(9001)] });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error?.code, "storage_unavailable");
    assert.match(refused.body.error?.message ?? "", /read-only/);
    assert.equal((await server!.call("memory.search", { query: "quick brown fox" })).status, 200);
    assert.deepEqual((await ledger.verify(server!)).lost, []);
    assert.ok(server!.alive);
    assert.equal(mount(["-o", "remount,rw", mountPoint]), null);
    const again = await server!.call("memory.ingest", { conversationId, turns: [bigTurn(9002)] });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    ledger.ingested(conversationId, (again.body.data as { episodeIds: string[] }).episodeIds);
    outcome.push("read-only: refused with 503 storage_unavailable, reads kept, writes resume");
  });

  test("starting on a read-only disk stops with a clear message; writable again, it opens with everything", async (t) => {
    if (skip) return t.skip(skip);
    await server!.stop("SIGKILL");
    server = null;
    assert.equal(mount(["-o", "remount,ro", mountPoint]), null);
    const child = HeadlessProcess.spawn({ dataDir: dataDir() });
    const output = HeadlessProcess.capture(child);
    const [code] = (await once(child, "exit")) as [number | null];
    assert.notEqual(code, 0);
    assert.match(output.stderr, /read-only disk/);
    assert.doesNotMatch(output.stderr, /\n\s+at /, "no stack trace for a disk the user can fix");
    assert.equal(mount(["-o", "remount,rw", mountPoint]), null);
    server = await HeadlessProcess.start({ dataDir: dataDir() });
    assert.deepEqual((await ledger.verify(server)).lost, []);
    outcome.push("start on read-only: clear message, then opens intact");
  });
});
