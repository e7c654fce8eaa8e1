/**
 * A data folder that a full disk damaged opens in the browser like any other, and Settings > Data says what Engram
 * mended when it started (core/store/tableRepair.ts), in words.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { Engine } from "../../core/engine.ts";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import { emptyDeletionFiles } from "../support/fullDiskDamage.ts";
import {
  browserUnavailableReason,
  ensureRendererBuilt,
  launchChromium,
  rendererDir,
  saveScreenshot,
} from "./browserHarness.ts";

const unavailable = browserUnavailableReason();

describe("a data folder a full disk damaged, in Chromium", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-repaired-"));
    const first = await Engine.open({ dataDir, runJobs: false });
    const { episodeIds } = await first.call("memory.ingest", {
      turns: [
        { speaker: "user", text: "The heron nests by the mill pond." },
        { speaker: "user", text: "My sister Ines moved to Braga." },
      ],
    });
    await first.call("episodes.forget", { ids: [episodeIds[0]!] });
    await first.dispose();
    assert.equal(await emptyDeletionFiles(dataDir, "episodes"), 1);
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    await page.goto(session.server.url);
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("Settings > Data says which table was mended and that nothing saved was lost", async () => {
    await page.getByTestId("nav-settings").click();
    await page.getByRole("tab", { name: "Data", exact: true }).click();
    const notices = page.getByTestId("storage-notices");
    await notices.waitFor();
    const text = await notices.innerText();
    assert.match(text, /left the remembered turns unreadable, and Engram repaired it/);
    assert.match(text, /Nothing you saved is lost/);
    await saveScreenshot(page, "settings-data-repaired-light");
    const { hits } = await session.engine.call("memory.search", { query: "Ines Braga" });
    assert.ok(
      hits.some((hit) => /Braga/.test(hit.text)),
      "the turns are still found",
    );
  });
});
