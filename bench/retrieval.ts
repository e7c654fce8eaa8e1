/**
 * Retrieval quality of the product's recall path on LoCoMo or LongMemEval, with ../shared/bench/METRICS.md's exact
 * definitions. Every conversation (LoCoMo) or question haystack (LongMemEval) goes into a fresh engine through
 * `memory.ingest`, and every question is ranked by `memory.search`, the recall a chat turn uses.
 *
 *   npm run bench:retrieval -- --dataset locomo --file PATH [--offset N] [--limit N] [--json]
 *   npm run bench:retrieval -- --dataset longmemeval --file PATH [--offset N] [--limit N] [--json]
 *   (--concurrency N: conversations or questions in flight at once, default 4; figures do not depend on it)
 *   (--archived F: after ingest, a seeded random share F of the turns is moved to the archive tier, so what recall
 *   finds of forgotten turns is measured; default 0)
 *
 * --offset/--limit select conversations (LoCoMo) or questions (LongMemEval). --part tune|heldout splits the file in
 * two so that what was tuned on one part can be checked on the other: LoCoMo's first half of conversations vs the
 * second; LongMemEval's even vs odd positions (its file is grouped by question type, so halves would not mix types).
 */
import { appendFile, readFile, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Engine } from "../core/engine.ts";
import { recallConfig } from "../core/memory/recallConfig.ts";
import { entityLiftConfig } from "../core/memory/semantic/entityLift.ts";
import { seededRandom } from "../test/support/seededRandom.ts";
import {
  MetricAverager,
  normaliseEvidence,
  parseLocomoDate,
  parseLongMemEvalDate,
  scoreTurns,
  sessionFigures,
  sessionRanking,
  turnFigures,
} from "./retrievalMetrics.ts";

/** How many results the bench asks recall for: the deepest cutoff METRICS.md reports. */
const rankDepth = 50;

interface Args {
  dataset: "locomo" | "longmemeval";
  file: string;
  offset: number;
  limit: number;
  /** Conversations or questions run at once, each in its own engine (the work is mostly waiting on disk). */
  concurrency: number;
  /** A tuning part and a held-out part: see `selectPart`. */
  part: "tune" | "heldout" | null;
  /** Where to write one JSON line per question whose evidence is not all in the top 5 (for studying misses). */
  misses: string | null;
  /** Overrides the entity lift's weight (core/memory/semantic/entityLift.ts) to measure it; absent: as shipped. */
  entityLift: number | null;
  /** Share of the turns moved to the archive tier after ingest (0: none). */
  archived: number;
  json: boolean;
}

function parse(): Args {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string" },
      file: { type: "string" },
      offset: { type: "string", default: "0" },
      limit: { type: "string" },
      concurrency: { type: "string", default: "4" },
      part: { type: "string" },
      misses: { type: "string" },
      "entity-lift": { type: "string" },
      archived: { type: "string", default: "0" },
      json: { type: "boolean", default: false },
    },
  });
  if (values.dataset !== "locomo" && values.dataset !== "longmemeval") {
    throw new Error("--dataset must be locomo or longmemeval");
  }
  if (values.part !== undefined && values.part !== "tune" && values.part !== "heldout") {
    throw new Error("--part must be tune or heldout");
  }
  if (!values.file) throw new Error("--file PATH is required");
  return {
    dataset: values.dataset,
    file: values.file,
    offset: Number(values.offset),
    limit: values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit),
    concurrency: Math.max(1, Number(values.concurrency)),
    part: values.part === "tune" || values.part === "heldout" ? values.part : null,
    misses: values.misses ?? null,
    entityLift: values["entity-lift"] === undefined ? null : Number(values["entity-lift"]),
    archived: Number(values.archived),
    json: values.json,
  };
}

/** A fresh engine in a temp folder whose clock is the data set's "now"; removed after use. */
async function withEngine<T>(now: number, run: (engine: Engine) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-bench-"));
  const engine = await Engine.open({ dataDir, runJobs: false, clock: () => now });
  try {
    return await run(engine);
  } finally {
    await engine.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * With the entity lift on, the turns' entities must be read first, as the app's background jobs do after an import
 * (with no model, only the entity job runs; the rest waits for a model).
 */
async function readEntities(engine: Engine): Promise<void> {
  if (entityLiftConfig.weight > 0) await engine.drainJobs();
}

/** The tuning or held-out part of a list: its first and second halves, or its even and odd positions. */
function selectPart<T>(items: T[], part: Args["part"], how: "halves" | "alternate"): T[] {
  if (part === null) return items;
  const tune = part === "tune";
  if (how === "alternate") return items.filter((_, i) => i % 2 === (tune ? 0 : 1));
  const middle = Math.ceil(items.length / 2);
  return tune ? items.slice(0, middle) : items.slice(middle);
}

/** Runs `work` over the items with at most `limit` in flight. */
async function forEachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * With --archived F, moves a seeded random share F of the episodes to the archive tier (as forgetting would over
 * time), so recall's two tiers are what the figures measure.
 */
async function archiveShare(engine: Engine, episodeIds: Iterable<string>, share: number): Promise<void> {
  if (share <= 0) return;
  const random = seededRandom(7);
  const chosen = [...episodeIds].filter(() => random() < share);
  for (let start = 0; start < chosen.length; start += 10_000) {
    await engine.call("episodes.forget", { ids: chosen.slice(start, start + 10_000) });
  }
}

/** Episode ids of the hits, best first (summaries, if any, are not turns and are left out). */
async function rank(engine: Engine, query: string): Promise<string[]> {
  const { hits } = await engine.call("memory.search", { query, limit: rankDepth });
  return hits.filter((hit) => hit.kind === "episode").map((hit) => hit.id);
}

/**
 * With --misses FILE, appends a question whose evidence is not all in the top 5: where each evidence turn ranked
 * (0 = not in the top 50), its text, the text of what ranked first, and the whole ranking's turn ids. For studying
 * misses, not for the figures.
 */
async function noteMiss(
  args: Args,
  question: { question: string; group: string | number; evidence: string[]; turns: string[] },
  textOf: (turnId: string) => string,
): Promise<void> {
  if (args.misses === null) return;
  const ranks = question.evidence.map((id) => question.turns.indexOf(id) + 1);
  if (ranks.every((r) => r >= 1 && r <= 5)) return;
  const clip = (text: string) => text.slice(0, 240);
  const line = {
    question: question.question,
    group: question.group,
    evidence: question.evidence.map((id, i) => ({ id, rank: ranks[i], text: clip(textOf(id)) })),
    top: question.turns.slice(0, 5).map((id) => ({ id, text: clip(textOf(id)) })),
    ranking: question.turns,
  };
  await appendFile(args.misses, JSON.stringify(line) + "\n");
}

interface Timing {
  ingestMs: number;
  searchMs: number;
  searches: number;
  turns: number;
}

// ---------------------------------------------------------------- LoCoMo

interface LocomoTurn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
interface LocomoConversation {
  sample_id?: string;
  conversation: Record<string, unknown>;
  qa: { question: string; evidence?: string[]; category: number }[];
}

const locomoCategories: Record<number, string> = { 1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop" };

async function runLocomo(args: Args, timing: Timing) {
  const data = JSON.parse(await readFile(args.file, "utf8")) as LocomoConversation[];
  const selected = selectPart(data, args.part, "halves").slice(args.offset, args.offset + args.limit);
  const overall = new MetricAverager();
  const byCategory = new Map<number, MetricAverager>();
  await forEachConcurrently(selected, args.concurrency, async (sample) => {
    const sessions = Object.keys(sample.conversation)
      .map((key) => /^session_(\d+)$/.exec(key))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b)
      .map((n) => ({
        turns: sample.conversation[`session_${n}`] as LocomoTurn[],
        at: parseLocomoDate(String(sample.conversation[`session_${n}_date_time`])),
      }));
    const lastAt = Math.max(...sessions.map((session) => session.at));
    await withEngine(lastAt, async (engine) => {
      const turnOfEpisode = new Map<string, string>();
      let conversationId: string | undefined;
      const started = performance.now();
      for (const session of sessions) {
        if (session.turns.length === 0) continue;
        const at = new Date(session.at).toISOString();
        const out = await engine.call("memory.ingest", {
          ...(conversationId ? { conversationId } : {}),
          turns: session.turns.map((turn) => ({
            speaker: turn.speaker,
            text: turn.blip_caption ? `${turn.text} [image: ${turn.blip_caption}]` : turn.text,
            at,
          })),
        });
        conversationId = out.conversationId;
        out.episodeIds.forEach((id, i) => turnOfEpisode.set(id, normaliseDiaId(session.turns[i]!.dia_id)));
        timing.turns += session.turns.length;
      }
      timing.ingestMs += performance.now() - started;
      await readEntities(engine);
      await archiveShare(engine, turnOfEpisode.keys(), args.archived);
      const known = new Set(turnOfEpisode.values());
      for (const qa of sample.qa) {
        if (qa.category === 5) continue;
        const evidence = normaliseEvidence(qa.evidence ?? [], known);
        if (evidence.length === 0) continue;
        const t0 = performance.now();
        const episodes = await rank(engine, qa.question);
        timing.searchMs += performance.now() - t0;
        timing.searches += 1;
        const turns = episodes.map((id) => turnOfEpisode.get(id) ?? id);
        const figures = turnFigures(scoreTurns(evidence, turns));
        await noteMiss(args, { question: qa.question, group: qa.category, evidence, turns }, (id) => {
          const [session, turn] = id.slice(1).split(":").map(Number);
          const found = sessions
            .flatMap((s) => s.turns)
            .find((t) => normaliseDiaId(t.dia_id) === `D${session}:${turn}`);
          return found ? `${found.speaker}: ${found.text}` : "";
        });
        overall.add(figures);
        const averager = byCategory.get(qa.category) ?? new MetricAverager();
        averager.add(figures);
        byCategory.set(qa.category, averager);
      }
    });
  });
  const categories: Record<string, Record<string, number>> = {};
  for (const category of [...byCategory.keys()].sort()) {
    const averager = byCategory.get(category)!;
    categories[`${category} ${locomoCategories[category] ?? "other"}`] = {
      questions: averager.count,
      ...averager.averages(),
    };
  }
  return { conversations: selected.length, questions: overall.count, ...overall.averages(), categories };
}

/** Turn ids in the data itself are sometimes zero-padded ("D30:05"); evidence is normalised the same way. */
function normaliseDiaId(id: string): string {
  const match = /^D:?(\d+):(\d+)$/.exec(id.trim());
  return match ? `D${Number(match[1])}:${Number(match[2])}` : id;
}

// ---------------------------------------------------------------- LongMemEval

interface LongMemEvalQuestion {
  question_id: string;
  question_type: string;
  question: string;
  question_date: string;
  haystack_session_ids: string[];
  haystack_dates: string[];
  haystack_sessions: { role: string; content: string; has_answer?: boolean }[][];
  answer_session_ids: string[];
}

async function runLongMemEval(args: Args, timing: Timing) {
  const data = JSON.parse(await readFile(args.file, "utf8")) as LongMemEvalQuestion[];
  const answerable = data
    .filter((q) => !q.question_id.endsWith("_abs"))
    .filter((q) => q.haystack_sessions.some((session) => session.some((turn) => turn.has_answer)));
  const selected = selectPart(answerable, args.part, "alternate").slice(args.offset, args.offset + args.limit);
  const overall = new MetricAverager();
  const byType = new Map<string, MetricAverager>();
  await forEachConcurrently(selected, args.concurrency, async (q) => {
    await withEngine(parseLongMemEvalDate(q.question_date), async (engine) => {
      // Turn ids are "<session index>:<turn index>"; a session's id is its haystack id.
      const turnOfEpisode = new Map<string, string>();
      const evidence: string[] = [];
      const started = performance.now();
      for (const [s, session] of q.haystack_sessions.entries()) {
        session.forEach((turn, t) => {
          if (turn.has_answer) evidence.push(`${s}:${t}`);
        });
        // An empty turn cannot be stored (nor found); it keeps its index so the others keep theirs.
        const stored = session.map((turn, t) => ({ turn, t })).filter(({ turn }) => turn.content.length > 0);
        if (stored.length === 0) continue;
        const at = new Date(parseLongMemEvalDate(q.haystack_dates[s]!)).toISOString();
        // Each haystack session is a conversation of its own, as it was in the user's history.
        const out = await engine.call("memory.ingest", {
          turns: stored.map(({ turn }) => ({ speaker: turn.role, text: turn.content, at })),
        });
        out.episodeIds.forEach((id, i) => turnOfEpisode.set(id, `${s}:${stored[i]!.t}`));
        timing.turns += stored.length;
      }
      timing.ingestMs += performance.now() - started;
      await readEntities(engine);
      await archiveShare(engine, turnOfEpisode.keys(), args.archived);
      const t0 = performance.now();
      const episodes = await rank(engine, q.question);
      timing.searchMs += performance.now() - t0;
      timing.searches += 1;
      const turns = episodes.map((id) => turnOfEpisode.get(id) ?? id);
      const sessionOf = (turnId: string) => q.haystack_session_ids[Number(turnId.split(":")[0])] ?? turnId;
      const answerSessions = q.answer_session_ids.filter((id) => q.haystack_session_ids.includes(id));
      const figures = {
        ...turnFigures(scoreTurns(evidence, turns)),
        ...sessionFigures(answerSessions, sessionRanking(turns, sessionOf)),
      };
      await noteMiss(args, { question: q.question, group: q.question_type, evidence, turns }, (id) => {
        const [session, turn] = id.split(":").map(Number);
        const found = q.haystack_sessions[session!]?.[turn!];
        return found ? `${found.role}: ${found.content}` : "";
      });
      overall.add(figures);
      const averager = byType.get(q.question_type) ?? new MetricAverager();
      averager.add(figures);
      byType.set(q.question_type, averager);
    });
  });
  const types: Record<string, Record<string, number>> = {};
  for (const type of [...byType.keys()].sort()) {
    types[type] = { questions: byType.get(type)!.count, ...byType.get(type)!.averages() };
  }
  return { questions: overall.count, ...overall.averages(), types };
}

// ---------------------------------------------------------------- output

function table(rows: [string, Record<string, number>][], columns: string[]): string {
  const header = ["", ...columns];
  const body = rows.map(([name, figures]) => [
    name,
    ...columns.map((column) => {
      const value = figures[column];
      if (value === undefined) return "";
      return column === "questions" ? String(value) : value.toFixed(3);
    }),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  return [header, ...body].map((row) => row.map((cell, i) => cell.padStart(widths[i]!)).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const args = parse();
  if (args.entityLift !== null) entityLiftConfig.weight = args.entityLift;
  const timing: Timing = { ingestMs: 0, searchMs: 0, searches: 0, turns: 0 };
  const config = {
    // Units are single turns: neighbour expansion adds whole turns, nothing larger is returned, so no mapping.
    retriever:
      "memory.search -> EpisodicMemory.recall: lancedb-fts over turns + windows (turn with 2 before), max-normalised " +
      "score fusion, window spread, segment lift, speaker/role/time lifts, neighbour expansion",
    embedder: null,
    recall: recallConfig,
    entityLift: entityLiftConfig,
    archived: args.archived,
  };
  const started = performance.now();
  const result = args.dataset === "locomo" ? await runLocomo(args, timing) : await runLongMemEval(args, timing);
  const machine = {
    cores: cpus().length,
    wallSeconds: (performance.now() - started) / 1000,
    ingestTurnsPerSec: timing.turns / (timing.ingestMs / 1000),
    meanSearchMs: timing.searches === 0 ? 0 : timing.searchMs / timing.searches,
  };
  if (args.json) {
    console.log(
      JSON.stringify({ dataset: args.dataset, file: args.file, part: args.part ?? "all", ...result, config, machine }),
    );
    return;
  }
  const { categories, types, ...overall } = result as typeof result & {
    categories?: Record<string, Record<string, number>>;
    types?: Record<string, Record<string, number>>;
  };
  const groups = categories ?? types ?? {};
  const columns = ["questions", "R@1", "R@5", "R@10", "R@20", "R@50", "P@5", "MRR"];
  const part = args.part ? ` [part: ${args.part}]` : "";
  console.log(`Retrieval on ${args.dataset} (${args.file})${part}, turn level, through memory.ingest + memory.search`);
  console.log(table([["overall", overall], ...Object.entries(groups)], columns));
  if (args.dataset === "longmemeval") {
    console.log("\nSession level (a session ranks at its best turn)");
    const sessionColumns = ["questions", "sessionR@1", "sessionR@3", "sessionR@5", "sessionR@10"];
    console.log(table([["overall", overall], ...Object.entries(groups)], sessionColumns));
  }
  console.log(`\nconfig: ${JSON.stringify(config)}`);
  // Timings are for orientation only; the scale bench measures latency properly.
  console.log(
    `machine: ${machine.cores} cores; ${machine.wallSeconds.toFixed(1)} s wall; ingest ${machine.ingestTurnsPerSec.toFixed(0)} turns/s; mean search ${machine.meanSearchMs.toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
