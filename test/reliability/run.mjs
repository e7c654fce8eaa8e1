// `npm run test:reliability`: the reliability suites (test/reliability/*.suite.ts: kill -9 recovery, fuzzing of
// every method, load, full and read-only disks, no outbound traffic, the headless server's defences), one file at a
// time since each drives real server processes, then one summary of what they measured. Minutes, not part of
// `npm test`. Extra arguments filter the suites by name: `npm run test:reliability -- fuzz`.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const folder = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);
const suites = readdirSync(folder)
  .filter((name) => name.endsWith(".suite.ts"))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort()
  .map((name) => relative(root, join(folder, name)));
if (suites.length === 0) {
  console.error("No reliability suite matched.");
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), "engram-reliability-"));
const reportFile = join(scratch, "results.jsonl");
const started = Date.now();
const code = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...suites],
    { cwd: root, stdio: "inherit", env: { ...process.env, ENGRAM_RELIABILITY_REPORT: reportFile } },
  );
  child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});

let results = [];
try {
  results = readFileSync(reportFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch (error) {
  if (error.code !== "ENOENT") throw error;
}
rmSync(scratch, { recursive: true, force: true });

const of = (suite) => results.filter((result) => result.suite === suite);
const sum = (items, field) => items.reduce((total, item) => total + (Number(item[field]) || 0), 0);
const lines = [];
const kills = of("kills");
lines.push(
  kills.length
    ? `kills survived:      ${sum(kills, "kills")} SIGKILLs, ${sum(kills, "restarts")} restarts; acknowledged ${sum(kills, "acknowledged")} (turns, messages, imported turns), lost ${sum(kills, "lost")}; orphaned model hosts ${sum(kills, "orphanHosts")}; jobs pending after the last kill ${sum(kills, "jobsPendingAfterLastKill")}, at the end ${sum(kills, "jobsPendingAtEnd")}`
    : "kills survived:      (suite not run)",
);
const fuzz = of("fuzz");
lines.push(
  fuzz.length
    ? `fuzz cases run:      ${sum(fuzz, "cases")} over ${sum(fuzz, "methods")} methods; failures ${sum(fuzz, "failures")}; data changed: ${fuzz.some((item) => item.dataChanged?.length) ? "YES" : "no"}`
    : "fuzz cases run:      (suite not run)",
);
const refusals = results.reduce((total, item) => total + (Number(item.refused) || 0), 0);
lines.push(`bad inputs refused:  ${refusals} (4xx envelopes with a stable code, over every suite)`);
const load = of("load");
if (load.length) {
  for (const item of load) {
    lines.push(
      `load held:           ${item.clients} clients for ${item.seconds} s: ${item.calls} calls, 5xx ${item.serverErrors}, lost ${item.lost}, peak RSS server ${mb(item.peakServerRss)} + model host ${mb(item.peakChildRss)}`,
    );
    lines.push("                     method              calls    p50 ms   p95 ms   max ms");
    for (const row of item.latency ?? []) {
      lines.push(
        `                     ${row.method.padEnd(18)} ${String(row.calls).padStart(6)} ${row.p50.toFixed(0).padStart(9)} ${row.p95.toFixed(0).padStart(8)} ${row.max.toFixed(0).padStart(8)}`,
      );
    }
  }
} else lines.push("load held:           (suite not run)");
for (const item of of("disk")) lines.push(`disk:                ${item.summary}`);
for (const item of of("network")) lines.push(`network:             ${item.summary}`);
for (const item of of("defences")) lines.push(`defences:            ${item.summary}`);
for (const item of of("files")) lines.push(`damaged files:       ${item.summary}`);
const lost = sum(results, "lost");
lines.push(`data lost:           ${lost}`);
lines.push(`time:                ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`\nReliability summary\n${lines.map((line) => `  ${line}`).join("\n")}`);
process.exit(code !== 0 ? code : lost > 0 ? 1 : 0);

function mb(bytes) {
  return `${Math.round((Number(bytes) || 0) / 2 ** 20)} MB`;
}
