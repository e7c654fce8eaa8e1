// Runs every *.test.ts / *.test.tsx under the source folders with Node's test runner (through tsx), so `npm test` needs
// no shell globbing and picks up unit tests that sit next to their module as well as the end-to-end tests in test/.
// Extra arguments are passed on: `npm test -- core/store` runs only files whose path contains "core/store".
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const folders = ["core", "electron", "renderer", "test", "bench"];
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const options = process.argv.slice(2).filter((arg) => arg.startsWith("-"));

function collect(folder) {
  const found = [];
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (error.code === "ENOENT") return found;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...collect(path));
    else if (/\.test\.tsx?$/.test(entry.name)) found.push(relative(root, path));
  }
  return found;
}

const files = folders
  .flatMap((folder) => collect(join(root, folder)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error("No test files matched.");
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...options, ...files],
  { cwd: root, stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
