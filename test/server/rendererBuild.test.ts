/**
 * `npm run serve` and `npm start` build the renderer when it is missing or older than its sources, so the README's
 * commands on a fresh clone show the app; several processes starting at once build it once.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ensureRendererBuilt, rendererBuildNeeded } from "../../core/server/rendererBuild.ts";

test("a build is needed when missing, or when any source is newer than it", async (t) => {
  const folder = await mkdtemp(join(tmpdir(), "engram-build-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const built = join(folder, "renderer");
  const sources = join(folder, "sources");
  await mkdir(join(sources, "deep"), { recursive: true });
  await writeFile(join(sources, "deep", "App.tsx"), "old");
  assert.equal(await rendererBuildNeeded(built, [sources]), "missing");
  await mkdir(built);
  await writeFile(join(built, "index.html"), "<!doctype html>");
  assert.equal(await rendererBuildNeeded(built, [sources]), null);
  const later = new Date(Date.now() + 60_000);
  await utimes(join(sources, "deep", "App.tsx"), later, later);
  assert.equal(await rendererBuildNeeded(built, [sources]), "stale");
});

test("builds a missing renderer once when two starts ask together, then not again until a source changes", async (t) => {
  const folder = await mkdtemp(join(tmpdir(), "engram-build-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const built = join(folder, "build", "renderer");
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);
  await Promise.all([ensureRendererBuilt(built, { log }), ensureRendererBuilt(built, { log })]);
  assert.equal(logged.length, 1, logged.join("\n"));
  assert.match(logged[0]!, /not built yet/);
  assert.ok(existsSync(join(built, "index.html")));
  await ensureRendererBuilt(built, { log });
  assert.equal(logged.length, 1, "fresh: nothing to do");
});
