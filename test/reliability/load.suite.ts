/**
 * Under load: 8 concurrent clients mixing ingest, search, chat (on the tiny GGUF) and list calls against the real
 * server for a minute. No 5xx, nothing acknowledged lost, memory bounded; p50/p95/max latency per method and peak
 * RSS (server and model host) are reported. Timings depend on the machine and what else runs on it: they are
 * reported, never asserted.
 *
 * ENGRAM_LOAD_SECONDS (default 60) and ENGRAM_LOAD_CLIENTS (default 8) change the run.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { seededRandom } from "../support/seededRandom.ts";
import { tinyChatModel } from "./support/chatModelFixture.ts";
import { HeadlessProcess, type CallReply } from "./support/headlessProcess.ts";
import { Ledger } from "./support/ledger.ts";
import { recordResult } from "./support/report.ts";

const seconds = Number(process.env.ENGRAM_LOAD_SECONDS ?? 60);
const clients = Number(process.env.ENGRAM_LOAD_CLIENTS ?? 8);
/** Far above what the engine needs (a few hundred MB): only a leak or an unbounded cache reaches it. */
const rssCeilingBytes = 2 * 2 ** 30;
const model = tinyChatModel();

const percentile = (sorted: number[], share: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;

describe(`${clients} clients for ${seconds} s`, { timeout: 30 * 60_000 }, () => {
  let dataDir = "";
  let server: HeadlessProcess | null = null;
  after(async () => {
    await server?.stop("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("no 5xx, nothing acknowledged lost, memory bounded", async (t) => {
    if (!model.path) t.diagnostic(`no chat in the mix: ${model.why}`);
    dataDir = await mkdtemp(join(tmpdir(), "engram-load-"));
    server = await HeadlessProcess.start({ dataDir, ...(model.path ? { modelFile: model.path } : {}) });
    const live = server;
    const ledger = new Ledger();
    const latencies = new Map<string, number[]>();
    const serverErrors: string[] = [];
    let refused = 0;
    const conversations: string[] = [];
    for (let index = 0; index < clients; index++) {
      const { id } = await live.data<{ id: string }>("conversations.create", { title: `Client ${index}` });
      ledger.conversation(id);
      conversations.push(id);
    }
    const rss: { server: number; children: number }[] = [];
    const sampler = setInterval(() => void live.rss().then((sample) => rss.push(sample)), 1000);
    const deadline = Date.now() + seconds * 1000;

    const timed = async (label: string, method: string, input: unknown): Promise<CallReply> => {
      const reply = await live.call(method, input, 120_000);
      let list = latencies.get(label);
      if (!list) latencies.set(label, (list = []));
      list.push(reply.ms);
      if (reply.status >= 500) serverErrors.push(`${method} ${reply.status} ${JSON.stringify(reply.body.error)}`);
      else if (!reply.body.ok) refused++;
      return reply;
    };

    const client = async (index: number) => {
      const random = seededRandom(1000 + index);
      const own = conversations[index]!;
      let sequence = 0;
      while (Date.now() < deadline) {
        const roll = random();
        const unique = `c${index}-${sequence++}`;
        if (roll < 0.35) {
          const reply = await timed("memory.ingest", "memory.ingest", {
            conversationId: own,
            turns: [
              {
                speaker: "user",
                text: `Load note ${unique}: the ${["red", "blue", "green"][sequence % 3]} folder is on shelf ${sequence}.`,
              },
              { speaker: "assistant", text: `Noted ${unique}.` },
            ],
          });
          if (reply.body.ok) ledger.ingested(own, (reply.body.data as { episodeIds: string[] }).episodeIds);
        } else if (roll < 0.65) {
          await timed("memory.search", "memory.search", { query: `folder shelf ${sequence % 50}` });
        } else if (roll < 0.75 && model.path) {
          const reply = await timed("chat.send", "chat.send", {
            conversationId: own,
            text: `Which shelf? (${unique})`,
          });
          if (reply.body.ok) {
            const data = reply.body.data as { userMessageId: string; assistantMessageId: string };
            ledger.chatted(own, data.userMessageId, data.assistantMessageId);
          }
        } else if (roll < 0.85) {
          await timed("conversations.list", "conversations.list", {});
        } else if (roll < 0.93) {
          await timed("messages.list", "messages.list", { conversationId: own });
        } else {
          await timed("episodes.list", "episodes.list", { conversationId: own, limit: 100 });
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
    clearInterval(sampler);

    // Replies queued behind the one model may still be streaming: they are checked to exist, once each.
    const verification = await ledger.verify(live, undefined, { repliesMayRun: true });
    const peakServer = Math.max(0, ...rss.map((sample) => sample.server));
    const peakChildren = Math.max(0, ...rss.map((sample) => sample.children));
    const third = Math.max(1, Math.floor(rss.length / 3));
    const mean = (samples: typeof rss) =>
      samples.reduce((total, sample) => total + sample.server, 0) / Math.max(1, samples.length);
    const latency = [...latencies]
      .map(([method, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return {
          method,
          calls: sorted.length,
          p50: percentile(sorted, 0.5),
          p95: percentile(sorted, 0.95),
          max: sorted.at(-1) ?? 0,
        };
      })
      .sort((a, b) => a.method.localeCompare(b.method));
    const report = {
      suite: "load",
      clients,
      seconds,
      calls: latency.reduce((total, row) => total + row.calls, 0),
      acknowledged: ledger.acknowledged,
      lost: verification.lost.length,
      lostExamples: verification.lost.slice(0, 5),
      serverErrors: serverErrors.length,
      serverErrorExamples: serverErrors.slice(0, 5),
      refused,
      peakServerRss: peakServer,
      peakChildRss: peakChildren,
      serverRssFirstThird: mean(rss.slice(0, third)),
      serverRssLastThird: mean(rss.slice(-third)),
      latency,
    };
    recordResult(report);
    t.diagnostic(JSON.stringify(report));
    assert.deepEqual(serverErrors, [], "no 5xx");
    assert.deepEqual(verification.lost, [], "nothing acknowledged lost");
    assert.ok(peakServer < rssCeilingBytes, `server peak RSS ${peakServer}`);
    assert.ok(live.alive);
  });
});
