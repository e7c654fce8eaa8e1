/**
 * Nothing acknowledged is lost under kill -9. The real headless server runs on one data folder while a workload
 * calls it (ingest, chat streaming on a tiny GGUF, imports, searches; background jobs and table compaction run on
 * their own), and is killed with SIGKILL at random moments, also during start-up while it migrates an old folder.
 * After every restart: the store opens, everything the server acknowledged is there exactly once, no reply is left
 * pending (a half-written one is kept as stopped), and at the end the interrupted background jobs run to completion.
 *
 * ENGRAM_KILLS (default 50) sets the number of kills; ENGRAM_SEED the random seed.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Database } from "../../core/store/database.ts";
import { migrations } from "../../core/store/migrations.ts";
import { seededRandom } from "../support/seededRandom.ts";
import { tinyChatModel } from "./support/chatModelFixture.ts";
import { HeadlessProcess, processExists } from "./support/headlessProcess.ts";
import { Ledger } from "./support/ledger.ts";
import { recordResult } from "./support/report.ts";
import { runWorkload, type WorkloadCounts } from "./support/workload.ts";

const kills = Number(process.env.ENGRAM_KILLS ?? 50);
const seed = Number(process.env.ENGRAM_SEED ?? 20261201);
/** Of the kills, these happen during start-up (the first ones on a folder still at schema 1, so mid-migration). */
const startupKills = Math.max(2, Math.round(kills * 0.12));
/** Kills with the chat model loaded (chat streaming, model jobs); the rest run without one (faster restarts). */
const modelKills = Math.max(2, Math.round(kills * 0.3));

/** How long the last start may work through the jobs the kills left, before the suite reports what is left. */
const drainMs = Number(process.env.ENGRAM_DRAIN_MS ?? 90_000);

const model = tinyChatModel();

/** The jobs table read directly once the server is gone: which jobs failed, and why. */
async function jobStates(dataDir: string): Promise<{ failed: string[]; queued: number }> {
  const db = await Database.open({ directory: join(dataDir, "db") });
  try {
    const rows = (await (await db.table("jobs")).table.query().toArray()) as {
      kind: string;
      status: string;
      error: string | null;
    }[];
    return {
      failed: rows.filter((row) => row.status === "failed").map((row) => `${row.kind}: ${row.error}`),
      queued: rows.filter((row) => row.status !== "failed").length,
    };
  } finally {
    await db.dispose();
  }
}

/** A data folder as Engram's first schema left it, with a conversation in it, so the first starts migrate it. */
async function folderAtSchemaOne(dataDir: string, ledger: Ledger): Promise<void> {
  const db = await Database.open({
    directory: join(dataDir, "db"),
    migrations: migrations.filter((step) => step.version === 1),
  });
  await (
    await db.table("conversations")
  ).append([{ id: "conv_seed", title: "Before the upgrade", createdAt: 1, updatedAt: 1 }]);
  await (
    await db.table("episodes")
  ).append(
    [0, 1, 2].map((seq) => ({
      id: `ep_seed_${seq}`,
      conversationId: "conv_seed",
      messageId: null,
      seq,
      speaker: "user",
      role: "user",
      text: `Written by schema one, turn ${seq}: my library card number is 55${seq}.`,
      context: `Written by schema one, turn ${seq}.`,
      at: 1000 + seq,
      salience: 0.5,
      accessCount: 0,
      lastAccessAt: 0,
      pinned: false,
      edited: false,
    })),
  );
  await db.dispose();
  ledger.ingested("conv_seed", ["ep_seed_0", "ep_seed_1", "ep_seed_2"]);
}

describe("kill -9 at random moments loses nothing acknowledged", { timeout: 3 * 60 * 60_000 }, () => {
  const random = seededRandom(seed);
  const ledger = new Ledger();
  const totals: WorkloadCounts = { ingests: 0, chats: 0, imports: 0, reads: 0, refused: 0, serverErrors: [] };
  let dataDir = "";
  let killed = 0;
  let restarts = 0;
  let orphanHosts = 0;
  const lost: string[] = [];

  after(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test(`${kills} kills: every acknowledged turn, message and import survives`, async (t) => {
    if (!model.path) t.diagnostic(`chat cycles run without a model: ${model.why}`);
    dataDir = await mkdtemp(join(tmpdir(), "engram-kill-"));
    await folderAtSchemaOne(dataDir, ledger);

    // Start-up kills: the first lands on the schema-1 folder, so it cuts a backup or a migration short.
    for (let index = 0; index < startupKills; index++) {
      const child = HeadlessProcess.spawn({ dataDir });
      const exited = once(child, "exit");
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 4000));
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        killed++;
      }
      await exited;
    }

    let conversations: string[] = [];
    for (let cycle = 0; cycle < kills - startupKills; cycle++) {
      const withModel = Boolean(model.path) && cycle >= kills - startupKills - modelKills;
      const server = await HeadlessProcess.start({ dataDir, ...(withModel ? { modelFile: model.path! } : {}) });
      restarts++;
      // The store opened: check what the last run wrote (all of it every tenth restart; everything at the end).
      const touched = ledger.takeTouched();
      const verification = await ledger.verify(server, cycle % 10 === 9 ? undefined : touched);
      lost.push(...verification.lost);
      assert.deepEqual(verification.lost, [], `after kill ${killed}`);
      if (conversations.length === 0) {
        for (let index = 0; index < 4; index++) {
          const { id } = await server.data<{ id: string }>("conversations.create", { title: `Crash test ${index}` });
          ledger.conversation(id);
          conversations.push(id);
        }
        conversations = [...conversations, "conv_seed"];
      }

      const stop = new AbortController();
      let chatted = () => {};
      const firstChat = new Promise<void>((resolve) => (chatted = resolve));
      const running = runWorkload(
        { server, ledger, random, conversations, chat: withModel, label: `k${cycle}`, loops: 3, onChat: chatted },
        stop.signal,
      );
      // With the model, the kill comes once a chat was acknowledged, so it lands while replies stream (on a busy
      // machine the first chat can take longer than the whole random window).
      if (withModel) await Promise.race([firstChat, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 2500));
      const hosts = await server.children();
      stop.abort();
      await server.stop("SIGKILL");
      killed++;
      const counts = await running;
      for (const key of ["ingests", "chats", "imports", "reads", "refused"] as const) totals[key] += counts[key];
      totals.serverErrors.push(...counts.serverErrors);
      // The model host goes with the server (its IPC channel closes), never left running on its own.
      for (const pid of hosts) {
        for (let waited = 0; processExists(pid) && waited < 15_000; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (processExists(pid)) orphanHosts++;
      }
    }

    // The last start: no kill. Everything is there, and the jobs interrupted by the kills resume and finish.
    const server = await HeadlessProcess.start({ dataDir, ...(model.path ? { modelFile: model.path } : {}) });
    restarts++;
    t.after(() => server.stop("SIGKILL"));
    const final = await ledger.verify(server);
    lost.push(...final.lost);
    const stats = await server.data<{ pendingJobs: number; schemaVersion: number; episodes: number }>("stats.get");
    assert.equal(stats.schemaVersion, migrations.at(-1)!.version, "the interrupted migration completed");
    // The queue resumes: jobs left by the kills (model jobs waited through the cycles without a model) run now.
    const pendingAtStart = stats.pendingJobs;
    let pending = pendingAtStart;
    const drainDeadline = Date.now() + drainMs;
    while (pending > 0 && Date.now() < drainDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      pending = (await server.data<{ pendingJobs: number }>("stats.get")).pendingJobs;
    }
    await server.stop("SIGTERM");
    const jobs = await jobStates(dataDir);
    const report = {
      suite: "kills",
      kills: killed,
      restarts,
      acknowledged: ledger.acknowledged,
      conversations: final.conversations,
      episodes: final.episodes,
      messages: final.messages,
      lost: lost.length,
      lostExamples: lost.slice(0, 5),
      jobsPendingAfterLastKill: pendingAtStart,
      jobsPendingAtEnd: pending,
      jobsFailed: jobs.failed.length,
      jobFailures: jobs.failed.slice(0, 5),
      orphanHosts,
      ingests: totals.ingests,
      chats: totals.chats,
      imports: totals.imports,
      reads: totals.reads,
      refused: totals.refused,
      serverErrors: totals.serverErrors.length,
      serverErrorExamples: totals.serverErrors.slice(0, 5),
    };
    recordResult(report);
    t.diagnostic(JSON.stringify(report));
    assert.deepEqual(final.lost, []);
    assert.ok(killed >= kills, `${killed} kills`);
    assert.deepEqual(totals.serverErrors, [], "no 5xx while running");
    assert.equal(orphanHosts, 0, "no model host outlives its server");
    if (pendingAtStart > 0 && model.path)
      assert.ok(pending < pendingAtStart, "interrupted jobs resume after the restart");
    // A job may give up on a random-weight model's answer; none may fail on the store a kill left behind.
    const storageFailures = jobs.failed.filter((failure) =>
      /lance|object at location|no such file|corrupt|io error/i.test(failure),
    );
    assert.deepEqual(storageFailures, [], "no background job failed on a damaged store");
  });
});
