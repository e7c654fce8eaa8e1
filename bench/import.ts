// Import benchmark: generate a ChatGPT export file of N turns, then import it end to end through
// conversations.importFile (read and check the whole file, then write messages, episodes and their jobs), timing it
// and sampling peak RSS.
// Usage: npm run bench:import -- [--turns 100000] [--per-conversation 20] [--reply-chars 600] [--json]
import { mkdtemp, rm, stat } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Engine } from "../core/engine.ts";
import { parseArguments, printTable, round } from "./stats.ts";
import { writeSyntheticChatGptExport } from "./syntheticExport.ts";

const args = parseArguments(process.argv.slice(2));
const turns = Number(args.get("turns") ?? 100_000);
const perConversation = Number(args.get("per-conversation") ?? 20);
const replyChars = Number(args.get("reply-chars") ?? 600);
const asJson = args.has("json");
if (![turns, perConversation, replyChars].every((value) => Number.isInteger(value) && value > 0)) {
  console.error("Usage: npm run bench:import -- [--turns N] [--per-conversation N] [--reply-chars N] [--json]");
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), "engram-bench-import-"));
try {
  const path = join(work, "conversations.json");
  const generated = await writeSyntheticChatGptExport(path, {
    turns,
    turnsPerConversation: perConversation,
    replyChars,
  });
  const fileBytes = (await stat(path)).size;

  const engine = await Engine.open({ dataDir: join(work, "data"), runJobs: false });
  try {
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    let readDone = 0;
    const start = performance.now();
    engine.events.on("jobs.progress", (event) => {
      if (event.kind === "import.read" && event.done === event.total && readDone === 0) readDone = performance.now();
    });
    const result = await engine.call("conversations.importFile", { source: "chatgpt", path });
    const seconds = (performance.now() - start) / 1000;
    const importPeakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (result.turns !== generated.turns) throw new Error(`Imported ${result.turns} turns of ${generated.turns}.`);
    // What the app's scheduled maintenance does next: fold the new rows into the full-text indexes (timed apart, as
    // bench:scale times it after ingest).
    const optimizeStart = performance.now();
    await engine.maintain();
    const optimizeSeconds = (performance.now() - optimizeStart) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const report = {
      turns: result.turns,
      conversations: result.conversations,
      fileMB: round(fileBytes / 2 ** 20, 1),
      cores: cpus().length,
      seconds: round(seconds, 1),
      turnsPerSec: round(result.turns / seconds, 0),
      readSeconds: round((readDone - start) / 1000, 1),
      writeSeconds: round(seconds - (readDone - start) / 1000, 1),
      optimizeSeconds: round(optimizeSeconds, 1),
      mbPerSec: round(fileBytes / 2 ** 20 / seconds, 1),
      baseRssMB: round(baseRss / 2 ** 20, 0),
      peakRssMB: round(importPeakRss / 2 ** 20, 0),
      peakRssWithOptimizeMB: round(peakRss / 2 ** 20, 0),
    };
    if (asJson) {
      console.log(JSON.stringify(report));
    } else {
      printTable(`Engram import benchmark (${report.cores} cores)`, [
        ["file (MB) / conversations / turns", `${report.fileMB} / ${report.conversations} / ${report.turns}`],
        ["end to end (s)", report.seconds],
        ["  first pass: read and check (s)", report.readSeconds],
        ["  second pass: write (s)", report.writeSeconds],
        ["import (turns/s)", report.turnsPerSec],
        ["import (MB/s)", report.mbPerSec],
        ["optimize after import (s)", report.optimizeSeconds],
        ["RSS before / peak of the import (MB)", `${report.baseRssMB} / ${report.peakRssMB}`],
        ["peak RSS with the optimize (MB)", report.peakRssWithOptimizeMB],
      ]);
    }
  } finally {
    await engine.dispose();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
