import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import { Database } from "../../core/store/database.ts";
import { EntityStore } from "../../core/store/entityStore.ts";
import { RelationStore } from "../../core/store/relationStore.ts";
import type { EntityRow, RelationRow } from "../../core/store/schema.ts";
import { browserUnavailableReason, ensureRendererBuilt, launchChromium, rendererDir } from "./browserHarness.ts";

const unavailable = browserUnavailableReason();
const entityCount = 700;

/**
 * A memory too big for the default view: 700 entities in groups of ten around a hub, written with the stores (as the
 * semantic memory writes them), so the graph opens on its most important 300.
 */
async function writeBigMemory(dataDir: string): Promise<void> {
  const db = await Database.open({ directory: join(dataDir, "db") });
  const now = Date.now();
  const entities: EntityRow[] = Array.from({ length: entityCount }, (_, index) => ({
    id: `entity-${index}`,
    name: `Entity ${index}`,
    type: index % 2 === 0 ? "person" : "place",
    aliases: "[]",
    mergedInto: null,
    firstSeen: now,
    lastSeen: now,
    editedByUser: false,
    createdAt: now,
    updatedAt: now,
  }));
  const relations: RelationRow[] = entities
    .filter((_, index) => index % 10 !== 0)
    .map((entity, index) => ({
      id: `relation-${index}`,
      sourceId: entity.id,
      targetId: `entity-${Math.floor(Number(entity.id.slice(7)) / 10) * 10}`,
      label: "mentioned with",
      kind: "cooccurrence",
      status: "active",
      weight: 1,
      firstAt: now,
      lastAt: now,
      createdAt: now,
      updatedAt: now,
    }));
  try {
    await (await EntityStore.open(db)).upsert(entities);
    await (await RelationStore.open(db)).upsert(relations);
  } finally {
    await db.dispose();
  }
}

const shownCount = async (page: Page) => {
  const match = /(\d+) of (\d+) entities/.exec(await page.locator(".graph-count").innerText());
  assert.ok(match, "the count of entities shown");
  return { shown: Number(match[1]), total: Number(match[2]) };
};

describe("a big memory in the graph screen", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-graph-zoom-"));
    await writeBigMemory(dataDir);
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("opens on the most important entities, not on everything", async () => {
    await page.goto(session.server.url);
    await page.getByTestId("nav-graph").click();
    await page
      .locator(".graph-count")
      .filter({ hasText: `of ${entityCount} entities` })
      .waitFor();
    assert.deepEqual(await shownCount(page), { shown: 300, total: entityCount });
  });

  test("zooming in with the wheel brings more of the memory in once the camera rests", async () => {
    const box = (await page.getByTestId("graph-canvas").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let notch = 0; notch < 3; notch += 1) await page.mouse.wheel(0, -120);
    await page
      .locator(".graph-count")
      .filter({ hasText: `600 of ${entityCount} entities` })
      .waitFor();
  });

  test("Show everything draws the whole memory", async () => {
    await page.getByRole("button", { name: "Show everything" }).click();
    await page
      .locator(".graph-count")
      .filter({ hasText: `${entityCount} of ${entityCount} entities` })
      .waitFor();
  });
});
