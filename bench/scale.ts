// Scale benchmark: ingest N synthetic turns through memory.ingest, then time the recall and prompt-assembly steps a
// chat turn runs, next to one bare LanceDB full-text query on the same table (the floor recall stands on).
// --archived F puts a seeded random share F of the turns in the archive tier as they are ingested (episodes.forget,
// timed apart from ingest), so recall searches both tiers as it does for a long-time user.
// Usage: npm run bench:scale -- --turns 10000 [--batch 1000] [--queries 300] [--archived F] [--json]
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { connect } from "@lancedb/lancedb";
import { Engine } from "../core/engine.ts";
import { ApproximateTokenizer } from "../core/model/approximateTokenizer.ts";
import { recallConfig } from "../core/memory/recallConfig.ts";
import { parseArguments, percentile, printTable, round } from "./stats.ts";
import { syntheticQueries, syntheticTurns } from "./syntheticTurns.ts";
import { seededRandom } from "../test/support/seededRandom.ts";

const args = parseArguments(process.argv.slice(2));
const turnCount = Number(args.get("turns") ?? 10_000);
const batchSize = Number(args.get("batch") ?? 1000);
const queryCount = Math.max(200, Number(args.get("queries") ?? 300));
const turnsPerConversation = 2000;
const archivedShare = Number(args.get("archived") ?? 0);
const asJson = args.has("json");

/** The next `count` items of an iterator. */
function take<T>(items: Iterator<T>, count: number): T[] {
  const taken: T[] = [];
  for (let next = items.next(); !next.done; next = items.next()) {
    taken.push(next.value);
    if (taken.length === count) break;
  }
  return taken;
}

if (
  !Number.isInteger(turnCount) ||
  turnCount < 1 ||
  !Number.isInteger(batchSize) ||
  batchSize < 1 ||
  !(archivedShare >= 0 && archivedShare <= 1)
) {
  console.error("Usage: npm run bench:scale -- --turns N [--batch N] [--queries N] [--archived 0..1] [--json]");
  process.exit(2);
}

let peakRss = process.memoryUsage().rss;
const rssSampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

const dataDir = await mkdtemp(join(tmpdir(), "engram-bench-scale-"));
const engine = await Engine.open({ dataDir, runJobs: false, clock: () => Date.parse("2026-11-01T00:00:00Z") });
try {
  const turns = syntheticTurns(turnCount);
  const conversations: string[] = [];
  const archiveChoice = seededRandom(11);
  let ingestMs = 0;
  let archiveMs = 0;
  let archivedTurns = 0;
  // Conversations of `turnsPerConversation` turns, each ingested in batches of `batchSize`.
  for (let start = 0; start < turnCount; start += turnsPerConversation) {
    let conversationId: string | undefined;
    for (let offset = 0; offset < Math.min(turnsPerConversation, turnCount - start); offset += batchSize) {
      const batch = take(turns, Math.min(batchSize, turnsPerConversation - offset, turnCount - start - offset));
      const ingestStart = performance.now();
      const result = await engine.call("memory.ingest", {
        ...(conversationId ? { conversationId } : {}),
        turns: batch,
      });
      ingestMs += performance.now() - ingestStart;
      conversationId = result.conversationId;
      const forgotten = result.episodeIds.filter(() => archiveChoice() < archivedShare);
      if (forgotten.length > 0) {
        const archiveStart = performance.now();
        archivedTurns += (await engine.call("episodes.forget", { ids: forgotten })).archived;
        archiveMs += performance.now() - archiveStart;
      }
    }
    conversations.push(conversationId!);
  }
  const ingestSeconds = ingestMs / 1000;

  // What the app's scheduled maintenance does between a bulk import and the next chat.
  const optimizeStart = performance.now();
  await engine.maintain();
  const optimizeMs = performance.now() - optimizeStart;

  const queries = syntheticQueries(queryCount);
  const tokenizer = new ApproximateTokenizer();
  const recallTimes: number[] = [];
  const assembleTimes: number[] = [];
  for (const [i, query] of [...queries.slice(0, 20), ...queries].entries()) {
    const conversationId = conversations[i % conversations.length]!;
    const t0 = performance.now();
    const recall = await engine.recallForChat(conversationId, query);
    const t1 = performance.now();
    await engine.assembleForChat(recall, conversationId, query, tokenizer);
    const t2 = performance.now();
    if (i >= 20) {
      recallTimes.push(t1 - t0);
      assembleTimes.push(t2 - t1);
    }
  }

  const connection = await connect(join(dataDir, "db"));
  const table = await connection.openTable("episodes");
  const rawTimes: number[] = [];
  for (const [i, query] of [...queries.slice(0, 20), ...queries].entries()) {
    const t0 = performance.now();
    await table.query().fullTextSearch(query, { columns: "text" }).limit(recallConfig.candidatesPerList).toArray();
    if (i >= 20) rawTimes.push(performance.now() - t0);
  }
  table.close();
  connection.close();

  clearInterval(rssSampler);
  const result = {
    turns: turnCount,
    cores: cpus().length,
    batch: batchSize,
    queries: queryCount,
    ingestPerSec: round(turnCount / ingestSeconds, 0),
    archived: archivedTurns,
    archiveMs: round(archiveMs, 0),
    optimizeMs: round(optimizeMs, 0),
    recallP50Ms: round(percentile(recallTimes, 50)),
    recallP95Ms: round(percentile(recallTimes, 95)),
    assembleP95Ms: round(percentile(assembleTimes, 95)),
    rawFtsP50Ms: round(percentile(rawTimes, 50)),
    rawFtsP95Ms: round(percentile(rawTimes, 95)),
    recallOverRawP95: round(percentile(recallTimes, 95) / percentile(rawTimes, 95)),
    rssMB: round(peakRss / 1024 / 1024, 0),
  };
  if (asJson) {
    console.log(JSON.stringify(result));
  } else {
    printTable(`Engram scale benchmark (${result.cores} cores)`, [
      ["turns", result.turns],
      ["ingest (turns/s, batches of " + batchSize + ")", result.ingestPerSec],
      ["archived turns (moved in ms)", `${result.archived} (${result.archiveMs})`],
      ["optimize after ingest (ms)", result.optimizeMs],
      ["recall p50 / p95 (ms)", `${result.recallP50Ms} / ${result.recallP95Ms}`],
      ["prompt assembly p95 (ms)", result.assembleP95Ms],
      ["bare LanceDB FTS p50 / p95 (ms)", `${result.rawFtsP50Ms} / ${result.rawFtsP95Ms}`],
      ["recall p95 / bare FTS p95", result.recallOverRawP95],
      ["peak RSS (MB)", result.rssMB],
    ]);
  }
} finally {
  clearInterval(rssSampler);
  await engine.dispose();
  await rm(dataDir, { recursive: true, force: true });
}
