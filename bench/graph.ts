// Semantic memory benchmark: N facts over N/5 entities with 5N edges (N fact edges, 4N co-occurrence links), then
// consolidation throughput (the LLM excluded: facts arrive as extraction would give them), graph.get neighbourhood
// latency, fact recall latency, and the chat recall latency with those facts present at --turns turns.
// Usage: npm run bench:graph -- --facts 10000 [--turns 100000] [--queries 300] [--json]
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Engine } from "../core/engine.ts";
import { recordTurnEntities, type TurnEntities } from "../core/memory/semantic/mentionRecording.ts";
import type { IncomingFact } from "../core/memory/semantic/semanticMemory.ts";
import { seededRandom } from "../test/support/seededRandom.ts";
import { parseArguments, percentile, printTable, round } from "./stats.ts";
import { syntheticQueries, syntheticTurns } from "./syntheticTurns.ts";

const args = parseArguments(process.argv.slice(2));
const factCount = Number(args.get("facts") ?? 10_000);
const turnCount = Number(args.get("turns") ?? 100_000);
const queryCount = Math.max(100, Number(args.get("queries") ?? 300));
const asJson = args.has("json");
/** Facts per consolidate call: what an import's extraction hands over at once. */
const factBatch = 100;
const turnsPerConversation = 2000;

if (!Number.isInteger(factCount) || factCount < 10 || !Number.isInteger(turnCount) || turnCount < 0) {
  console.error("Usage: npm run bench:graph -- --facts N [--turns N] [--queries N] [--json]");
  process.exit(2);
}

const random = seededRandom(11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const firstNames = [
  "Ana",
  "Ben",
  "Chloe",
  "Dmitri",
  "Esme",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jonas",
  "Keiko",
  "Liam",
];
const lastNames = ["Silva", "Marsh", "Okafor", "Novak", "Tanaka", "Berg", "Costa", "Dubois", "Haas", "Ivanov"];
const predicates: { predicate: string; objects: "entity" | "value" }[] = [
  { predicate: "lives in", objects: "entity" },
  { predicate: "works at", objects: "entity" },
  { predicate: "is married to", objects: "entity" },
  { predicate: "knows", objects: "entity" },
  { predicate: "likes", objects: "value" },
  { predicate: "has pet", objects: "value" },
  { predicate: "plays", objects: "value" },
  { predicate: "studies", objects: "value" },
  { predicate: "is aged", objects: "value" },
  { predicate: "visited", objects: "entity" },
];
const values = [
  "tea",
  "chess",
  "a cat named Rex",
  "jazz",
  "biology",
  "tennis",
  "34",
  "green curry",
  "the violin",
  "maps",
];

/** CPU seconds this process used since `start` (all its threads, LanceDB's included): less swayed by a busy machine. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

let peakRss = process.memoryUsage().rss;
const rssSampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

const dataDir = await mkdtemp(join(tmpdir(), "engram-bench-graph-"));
const now = Date.parse("2026-11-01T00:00:00Z");
const engine = await Engine.open({ dataDir, runJobs: false, clock: () => now });
try {
  const entityCount = Math.max(2, Math.floor(factCount / 5));
  const names = Array.from(
    { length: entityCount },
    (_, i) =>
      `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]} ${i}`,
  );

  // Entities and 4N co-occurrence links, through the same recording extraction uses (compromise excluded).
  const linkStart = performance.now();
  const linkTarget = 4 * factCount;
  const pairs = new Set<string>();
  for (let turn = 0; pairs.size < linkTarget;) {
    const turns: TurnEntities[] = [];
    for (let i = 0; i < 500 && pairs.size < linkTarget; turn += 1) {
      const a = pick(names);
      const b = pick(names);
      const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
      if (a === b || pairs.has(pair)) continue;
      pairs.add(pair);
      i += 1;
      turns.push({
        episodeId: `ep_bench_${turn}`,
        conversationId: "conv_bench",
        speaker: "assistant",
        role: "assistant",
        at: now - Math.floor(random() * 365) * 86_400_000,
        found: [
          { name: a, type: "person", surface: a },
          { name: b, type: "person", surface: b },
        ],
      });
    }
    await engine.semantic.changeBatch("system", (change) => recordTurnEntities(engine.semantic.index, change, turns));
  }
  const linkSeconds = (performance.now() - linkStart) / 1000;

  // N facts: mostly new, some contradicting an earlier one (supersede), some said again (duplicates).
  const facts: IncomingFact[] = [];
  for (let i = 0; i < factCount; i += 1) {
    if (i > 10 && random() < 0.1) {
      facts.push({ ...facts[Math.floor(random() * facts.length)]! });
      continue;
    }
    const subject = pick(names);
    const { predicate, objects } = pick(predicates);
    const object = objects === "entity" ? pick(names) : pick(values);
    facts.push({
      subject,
      predicate,
      object,
      statement: `${subject} ${predicate} ${object}.`,
      subjectType: "person",
      objectType: objects === "entity" ? "person" : "value",
      confidence: 0.8,
      sources: [{ episodeId: `ep_fact_${i}`, conversationId: "conv_bench" }],
      learnedAt: now - (factCount - i) * 60_000,
    });
  }
  const outcomes = { add: 0, supersede: 0, noop: 0 };
  const consolidateStart = performance.now();
  const consolidateCpu = process.cpuUsage();
  for (let start = 0; start < facts.length; start += factBatch) {
    const results = await engine.semantic.consolidate(facts.slice(start, start + factBatch), "assistant", "extracted");
    for (const result of results) outcomes[result.outcome] += 1;
  }
  const consolidateSeconds = (performance.now() - consolidateStart) / 1000;
  const consolidateCpuSeconds = cpuSeconds(consolidateCpu);
  const edges = engine.semantic.index.graph.size;
  const entityIds = [...engine.semantic.index.entities.values()].filter((row) => !row.mergedInto).map((row) => row.id);
  // One fact per call, as a chat turn's extraction gives them (every call is its own write).
  const singleFacts = facts
    .slice(0, 100)
    .map((fact, i) => ({ ...fact, object: `${fact.object} again ${i}`, objectType: "value" as const }));
  const singleStart = performance.now();
  for (const fact of singleFacts) {
    await engine.semantic.consolidate(
      [{ ...fact, statement: `${fact.subject} ${fact.predicate} ${fact.object}.` }],
      "assistant",
      "extracted",
    );
  }
  const singleSeconds = (performance.now() - singleStart) / 1000;
  // What the app's scheduled maintenance does after a burst of writes: new statements join the full-text index.
  await engine.maintain();
  const graphTimes: number[] = [];
  const graphCpu = process.cpuUsage();
  for (let i = 0; i < queryCount + 20; i += 1) {
    const t0 = performance.now();
    await engine.call("graph.get", { around: pick(entityIds), depth: 1 });
    if (i >= 20) graphTimes.push(performance.now() - t0);
  }

  const questions = Array.from({ length: queryCount + 20 }, (_, i) => {
    const name = pick(names);
    return i % 2 === 0 ? `Where does ${name} live now?` : `What does ${name.split(" ")[0]} like to play?`;
  });
  const graphCpuMs = (cpuSeconds(graphCpu) * 1000) / (queryCount + 20);
  const factTimes: number[] = [];
  const factCpu = process.cpuUsage();
  for (const [i, question] of questions.entries()) {
    const t0 = performance.now();
    await engine.recallFacts(question);
    if (i >= 20) factTimes.push(performance.now() - t0);
  }
  const factCpuMs = (cpuSeconds(factCpu) * 1000) / questions.length;

  // The same facts beside `turnCount` turns; the chat recall a turn runs (episodes, compact memory, facts).
  const turns = syntheticTurns(turnCount);
  const conversations: string[] = [];
  const ingestStart = performance.now();
  for (let start = 0; start < turnCount; start += turnsPerConversation) {
    let conversationId: string | undefined;
    for (let offset = 0; offset < Math.min(turnsPerConversation, turnCount - start); offset += 1000) {
      const batch: { speaker: string; text: string; at: string }[] = [];
      for (let next = turns.next(); !next.done; next = turns.next()) {
        batch.push(next.value);
        if (batch.length === Math.min(1000, turnCount - start - offset)) break;
      }
      const result = await engine.call("memory.ingest", {
        ...(conversationId ? { conversationId } : {}),
        turns: batch,
      });
      conversationId = result.conversationId;
    }
    if (conversationId) conversations.push(conversationId);
  }
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  await engine.maintain();
  const chatQuestions = syntheticQueries(queryCount).map((query, i) =>
    i % 3 === 0 ? `${query} ${pick(names)}` : query,
  );
  const chatTimes: number[] = [];
  const recallHasFacts = { value: false };
  for (const [i, question] of [...chatQuestions.slice(0, 20), ...chatQuestions].entries()) {
    const conversationId = conversations.length > 0 ? conversations[i % conversations.length]! : null;
    const t0 = performance.now();
    const recall = await engine.recallForChat(conversationId, question);
    if (i >= 20) chatTimes.push(performance.now() - t0);
    recallHasFacts.value ||= "facts" in recall;
  }

  clearInterval(rssSampler);
  const result = {
    facts: factCount,
    entities: entityIds.length,
    edges,
    turns: turnCount,
    cores: cpus().length,
    outcomes,
    linksPerSec: round(linkTarget / linkSeconds, 0),
    consolidatePerSec: round(factCount / consolidateSeconds, 0),
    consolidatePerCpuSec: round(factCount / consolidateCpuSeconds, 0),
    consolidateSinglePerSec: round(singleFacts.length / singleSeconds, 0),
    graphP50Ms: round(percentile(graphTimes, 50)),
    graphP95Ms: round(percentile(graphTimes, 95)),
    graphCpuMeanMs: round(graphCpuMs),
    factRecallP50Ms: round(percentile(factTimes, 50)),
    factRecallP95Ms: round(percentile(factTimes, 95)),
    factRecallCpuMeanMs: round(factCpuMs),
    ingestPerSec: turnCount === 0 ? 0 : round(turnCount / ingestSeconds, 0),
    chatRecallP50Ms: round(percentile(chatTimes, 50)),
    chatRecallP95Ms: round(percentile(chatTimes, 95)),
    chatRecallIncludesFacts: recallHasFacts.value,
    rssMB: round(peakRss / 1024 / 1024, 0),
  };
  if (asJson) {
    console.log(JSON.stringify(result));
  } else {
    printTable(`Engram graph benchmark (${result.cores} cores)`, [
      ["facts / entities / graph edges", `${result.facts} / ${result.entities} / ${result.edges}`],
      ["outcomes (add / supersede / noop)", `${outcomes.add} / ${outcomes.supersede} / ${outcomes.noop}`],
      ["co-occurrence links recorded (/s)", result.linksPerSec],
      [
        `consolidation (facts/s, batches of ${factBatch}; per CPU second)`,
        `${result.consolidatePerSec} (${result.consolidatePerCpuSec})`,
      ],
      ["consolidation (facts/s, one per call)", result.consolidateSinglePerSec],
      [
        "graph.get neighbourhood p50 / p95 (ms; mean CPU ms)",
        `${result.graphP50Ms} / ${result.graphP95Ms} (${result.graphCpuMeanMs})`,
      ],
      [
        "fact recall p50 / p95 (ms; mean CPU ms)",
        `${result.factRecallP50Ms} / ${result.factRecallP95Ms} (${result.factRecallCpuMeanMs})`,
      ],
      [`turns ingested (/s)`, `${result.turns} (${result.ingestPerSec})`],
      [
        `chat recall p50 / p95 (ms)${result.chatRecallIncludesFacts ? ", facts included" : ", episodes + compact only"}`,
        `${result.chatRecallP50Ms} / ${result.chatRecallP95Ms}`,
      ],
      ["peak RSS (MB)", result.rssMB],
    ]);
  }
} finally {
  clearInterval(rssSampler);
  await engine.dispose();
  await rm(dataDir, { recursive: true, force: true });
}
