// Graph screen benchmark: a data folder with N entities and M relations, the graph screen opened on it in headless
// Chromium, then a few seconds of panning and zooming with the mouse; time to first render and frame times
// (requestAnimationFrame deltas) for the default view and for the whole graph shown at once.
// Usage: npm run bench:graph-ui [-- --nodes 5000 --edges 10000] [--seconds 4] [--shape clustered|random] [--json]
//        [--screenshots DIR] (a picture of the default view and of the whole graph, each once its layout settled)
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startHeadlessSession } from "../core/server/headlessSession.ts";
import { Database } from "../core/store/database.ts";
import { EntityStore } from "../core/store/entityStore.ts";
import { RelationStore } from "../core/store/relationStore.ts";
import type { EntityRow, RelationRow } from "../core/store/schema.ts";
import { ensureRendererBuilt, launchChromium, rendererDir } from "../test/e2e/browserHarness.ts";
import { seededRandom } from "../test/support/seededRandom.ts";
import { parseArguments, percentile, printTable, round } from "./stats.ts";

const args = parseArguments(process.argv.slice(2));
const nodeCount = Number(args.get("nodes") ?? 5000);
const edgeCount = Number(args.get("edges") ?? 10_000);
const seconds = Number(args.get("seconds") ?? 4);
const shape = String(args.get("shape") ?? "clustered");
const asJson = args.has("json");
const screenshotDir = typeof args.get("screenshots") === "string" ? String(args.get("screenshots")) : null;

if (
  !Number.isInteger(nodeCount) ||
  nodeCount < 2 ||
  !Number.isInteger(edgeCount) ||
  edgeCount < 1 ||
  !(seconds > 0) ||
  !["clustered", "random"].includes(shape)
) {
  console.error(
    "Usage: npm run bench:graph-ui -- [--nodes N] [--edges N] [--seconds S] [--shape clustered|random] [--json]",
  );
  process.exit(2);
}

const types: EntityRow["type"][] = ["person", "place", "organisation", "thing", "date"];

/**
 * Entities and relations shaped like a memory's co-occurrence graph: entities come in groups of about 40 (the people,
 * places and things of one part of a life) and a small core (2%: the user's closest people and places, named in every
 * part of it); each entity is linked once within its group (everything the user talks about is linked to something),
 * then links favour entities already linked (a few come up again and again): 70% stay inside a group, 20% reach the
 * core, 10% cross to another group. `random` links any two entities instead: the worst case for drawing, since every
 * edge is long.
 */
function generateRows(now: number): { entities: EntityRow[]; relations: RelationRow[] } {
  const random = seededRandom(11);
  const day = 86_400_000;
  const entities: EntityRow[] = Array.from({ length: nodeCount }, (_, index) => {
    const lastSeen = now - Math.floor(random() * 700) * day;
    return {
      id: `bench-entity-${index}`,
      name: `${types[index % types.length]} ${index}`,
      type: types[index % types.length]!,
      aliases: "[]",
      mergedInto: null,
      firstSeen: lastSeen - 30 * day,
      lastSeen,
      editedByUser: false,
      createdAt: lastSeen - 30 * day,
      updatedAt: lastSeen,
    };
  });
  const groups = Math.max(1, Math.round(nodeCount / 40));
  const coreSize = Math.max(1, Math.round(nodeCount / 50));
  const members: number[][] = Array.from({ length: groups }, () => []);
  entities.forEach((_, index) => members[index % groups]!.push(index));
  const linked: number[][] = Array.from({ length: groups }, () => []);
  const pick = (group: number): number => {
    const ends = linked[group]!;
    if (ends.length > 0 && random() < 0.6) return ends[Math.floor(random() * ends.length)]!;
    const all = members[group]!;
    return all[Math.floor(random() * all.length)]!;
  };
  const relations: RelationRow[] = [];
  const seen = new Set<string>();
  const link = (source: number, target: number): boolean => {
    const key = source < target ? `${source}:${target}` : `${target}:${source}`;
    if (source === target || seen.has(key)) return false;
    seen.add(key);
    const at = Math.max(entities[source]!.lastSeen!, entities[target]!.lastSeen!);
    relations.push({
      id: `bench-relation-${relations.length}`,
      sourceId: entities[source]!.id,
      targetId: entities[target]!.id,
      label: "mentioned with",
      kind: "cooccurrence",
      status: "active",
      weight: 1 + Math.floor(random() * 4),
      firstAt: at - day,
      lastAt: at,
      createdAt: at,
      updatedAt: at,
    });
    return true;
  };
  for (let index = 0; index < nodeCount && relations.length < edgeCount; index += 1) {
    const group = index % groups;
    const others = shape === "random" || members[group]!.length < 2 ? null : members[group]!;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const other = others ? others[Math.floor(random() * others.length)]! : Math.floor(random() * nodeCount);
      if (link(index, other)) break;
    }
    linked[group]!.push(index);
  }
  while (relations.length < edgeCount) {
    if (shape === "random") {
      link(Math.floor(random() * nodeCount), Math.floor(random() * nodeCount));
      continue;
    }
    const group = Math.floor(random() * groups);
    const source = pick(group);
    const draw = random();
    const target =
      draw < 0.7 ? pick(group) : draw < 0.9 ? Math.floor(random() * coreSize) : pick(Math.floor(random() * groups));
    linked[group]!.push(source, target);
    link(source, target);
  }
  return { entities, relations };
}

/** Writes the rows with the stores, as the semantic memory itself would, in a fresh data folder. */
async function writeDataFolder(dataDir: string): Promise<void> {
  const db = await Database.open({ directory: join(dataDir, "db") });
  try {
    const { entities, relations } = generateRows(Date.now());
    const [entityStore, relationStore] = await Promise.all([EntityStore.open(db), RelationStore.open(db)]);
    for (let start = 0; start < entities.length; start += 2000)
      await entityStore.upsert(entities.slice(start, start + 2000));
    for (let start = 0; start < relations.length; start += 2000) {
      await relationStore.upsert(relations.slice(start, start + 2000));
    }
  } finally {
    await db.dispose();
  }
}

/** Starts collecting requestAnimationFrame deltas in the page. */
async function startFrameClock(page: Page): Promise<void> {
  // A string, not a function: the page must run it exactly as written.
  await page.evaluate(`(() => {
    const clock = (window.__benchFrames = { deltas: [], last: 0, running: true });
    const tick = (time) => {
      if (clock.last) clock.deltas.push(time - clock.last);
      clock.last = time;
      if (clock.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

async function stopFrameClock(page: Page): Promise<number[]> {
  return (await page.evaluate(
    `(() => { window.__benchFrames.running = false; return window.__benchFrames.deltas; })()`,
  )) as number[];
}

/** Two frames after now: whatever sigma scheduled has been drawn and shown. */
const afterNextFrames = (page: Page) =>
  page.evaluate(
    `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))))`,
  );

/** Pans in loops and zooms in and out with the wheel over the canvas, for about `seconds`. */
async function panAndZoom(page: Page): Promise<number[]> {
  const box = await page.getByTestId("graph-canvas").boundingBox();
  if (!box) throw new Error("The graph canvas is not on screen.");
  const centreX = box.x + box.width / 2;
  const centreY = box.y + box.height / 2;
  await page.mouse.move(centreX, centreY);
  await startFrameClock(page);
  const end = Date.now() + seconds * 1000;
  let round = 0;
  while (Date.now() < end) {
    await page.mouse.down();
    for (let step = 0; step <= 24; step += 1) {
      const angle = (step / 24) * 2 * Math.PI;
      await page.mouse.move(centreX + Math.cos(angle) * 120, centreY + Math.sin(angle) * 80);
    }
    await page.mouse.up();
    await page.mouse.move(centreX, centreY);
    const direction = round % 2 === 0 ? -1 : 1;
    for (let notch = 0; notch < 3; notch += 1) {
      await page.mouse.wheel(0, direction * 120);
      await page.waitForTimeout(60);
    }
    round += 1;
  }
  await page.waitForTimeout(300);
  return stopFrameClock(page);
}

/** "300 of 5000 entities" -> 300. */
async function shownNodes(page: Page): Promise<number> {
  const text = await page.locator(".graph-count").innerText();
  const match = /(\d+) of (\d+) entities/.exec(text);
  if (!match) throw new Error(`Unexpected count: ${text}`);
  return Number(match[1]);
}

async function waitForLayout(page: Page): Promise<void> {
  await page.locator(".graph-layout-status").waitFor({ state: "hidden", timeout: 120_000 });
}

if (screenshotDir) await mkdir(screenshotDir, { recursive: true });
const dataDir = await mkdtemp(join(tmpdir(), "engram-bench-graph-ui-"));
const writeStart = performance.now();
await writeDataFolder(dataDir);
const writeMs = performance.now() - writeStart;
await ensureRendererBuilt();
const session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(session.server.url);
  await page.getByTestId("nav-graph").waitFor();

  // Default view: from the click on Graph to the first frame drawn with the entities in it.
  const clickedAt = (await page.evaluate("performance.now()")) as number;
  await page.getByTestId("nav-graph").click();
  await page.getByTestId("graph-canvas").waitFor({ timeout: 60_000 });
  const screenMs = ((await page.evaluate("performance.now()")) as number) - clickedAt;
  await page
    .locator(".graph-count")
    .filter({ hasText: `of ${nodeCount} entities` })
    .waitFor({ timeout: 60_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: "test-results/bench-failure.png" });
      const shown = await page.locator("body").innerText();
      throw new Error(`The graph did not open on ${nodeCount} entities; the page says: ${shown.slice(0, 400)}`, {
        cause: error,
      });
    });
  const dataMs = ((await page.evaluate("performance.now()")) as number) - clickedAt;
  const firstRenderMs = ((await afterNextFrames(page)) as number) - clickedAt;
  const layoutStart = performance.now();
  await waitForLayout(page);
  const layoutMs = performance.now() - layoutStart;
  const drawnNodes = await shownNodes(page);
  // The relations the view holds: those between the entities it shows (what graph.get answered the screen).
  const drawnEdges = (await session.engine.call("graph.get", { limit: drawnNodes })).edges.length;
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `graph-bench-${shape}-default.png`) });
  const frames = await panAndZoom(page);
  const drawnAfterZoom = await shownNodes(page);

  // The whole graph at once.
  const everythingAt = (await page.evaluate("performance.now()")) as number;
  // Zooming in may already have brought every entity in (a small memory); then there is nothing more to ask for.
  const showEverything = page.getByRole("button", { name: "Show everything" });
  if (await showEverything.isVisible()) await showEverything.click();
  await page
    .locator(".graph-count")
    .filter({ hasText: `${Math.min(nodeCount, 5000)} of ${nodeCount} entities` })
    .waitFor({ timeout: 120_000 });
  const fullFirstRenderMs = ((await afterNextFrames(page)) as number) - everythingAt;
  const fullLayoutStart = performance.now();
  await waitForLayout(page);
  const fullLayoutMs = performance.now() - fullLayoutStart;
  const fullDrawnNodes = await shownNodes(page);
  const fullDrawnEdges = (await session.engine.call("graph.get", { limit: fullDrawnNodes })).edges.length;
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `graph-bench-${shape}-whole.png`) });
  const fullFrames = await panAndZoom(page);
  if (pageErrors.length > 0) throw new Error(`The page failed: ${pageErrors.join("; ")}`);

  const result = {
    nodes: nodeCount,
    edges: edgeCount,
    shape,
    drawnNodes,
    drawnEdges,
    drawnNodesAfterZoom: drawnAfterZoom,
    firstRenderMs: round(firstRenderMs, 0),
    /** Of which: the screen's code loaded and mounted, then graph.get answered and applied. */
    screenMs: round(screenMs, 0),
    dataMs: round(dataMs, 0),
    layoutMs: round(layoutMs, 0),
    frames: frames.length,
    frameP50Ms: round(percentile(frames, 50), 1),
    frameP95Ms: round(percentile(frames, 95), 1),
    fullDrawnNodes,
    fullDrawnEdges,
    fullFirstRenderMs: round(fullFirstRenderMs, 0),
    fullLayoutMs: round(fullLayoutMs, 0),
    fullFrames: fullFrames.length,
    fullFrameP50Ms: round(percentile(fullFrames, 50), 1),
    fullFrameP95Ms: round(percentile(fullFrames, 95), 1),
    writeMs: round(writeMs, 0),
    cores: cpus().length,
    /** The machine's load while measuring: timings are only comparable at a similar load. */
    loadAverage: round(loadavg()[0]!, 1),
  };
  if (asJson) {
    console.log(JSON.stringify(result));
  } else {
    const machine = `${cpus().length} cores, load average ${result.loadAverage}`;
    printTable(`Graph screen, ${nodeCount} entities and ${edgeCount} relations (${shape}), ${machine}`, [
      ["default view: entities drawn", `${drawnNodes}, ${drawnEdges} relations (${drawnAfterZoom} after zooming)`],
      ["default view: first render", `${result.firstRenderMs} ms (target <= 2000)`],
      ["  screen loaded / graph applied at", `${result.screenMs} / ${result.dataMs} ms`],
      ["default view: layout settled in", `${result.layoutMs} ms`],
      ["default view: frame p50 / p95", `${result.frameP50Ms} / ${result.frameP95Ms} ms (target p95 <= 50)`],
      ["whole graph: entities drawn", `${fullDrawnNodes}, ${fullDrawnEdges} relations`],
      ["whole graph: first render", `${result.fullFirstRenderMs} ms`],
      ["whole graph: layout settled in", `${result.fullLayoutMs} ms`],
      ["whole graph: frame p50 / p95", `${result.fullFrameP50Ms} / ${result.fullFrameP95Ms} ms`],
      ["frames measured", `${frames.length} default, ${fullFrames.length} whole`],
    ]);
  }
} finally {
  await browser.close();
  await session.dispose();
  await rm(dataDir, { recursive: true, force: true });
}
