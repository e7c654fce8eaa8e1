/**
 * A model download in Chromium against headless mode, from a local HTTP server that sends the tiny GGUF slowly:
 * the row shows a progress bar with speed and time left while it runs, and the model is installed at the end.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import { ensureTinyModel } from "../model/fixtures/tinyModel.ts";
import {
  browserUnavailableReason,
  ensureRendererBuilt,
  launchChromium,
  rendererDir,
  saveScreenshot,
} from "./browserHarness.ts";

const unavailable = browserUnavailableReason();

/** Serves `body` in 16 pieces a fifth of a second apart, so a download takes about three seconds. */
function slowServer(body: Buffer): Server {
  return createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
    const piece = Math.ceil(body.length / 16);
    let sent = 0;
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer);
      response.write(body.subarray(sent, sent + piece));
      sent += piece;
      if (sent >= body.length) {
        clearInterval(timer);
        response.end();
      }
    }, 200);
  });
}

describe("downloading a model in Chromium", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  let server: Server;

  before(async () => {
    await ensureRendererBuilt();
    const { modelPath } = ensureTinyModel();
    server = slowServer(readFileSync(modelPath));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-download-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(session.server.url);
    await page.getByRole("button", { name: /Not now/ }).click();
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("progress with speed and time left, then the model is installed", async () => {
    await page.getByTestId("nav-settings").click();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`;
    const form = page.locator("form", { has: page.getByRole("textbox", { name: "Address of the .gguf file" }) });
    await form.getByRole("textbox", { name: "Address of the .gguf file" }).fill(url);
    await form.getByRole("textbox", { name: "Name to show" }).fill("Served tiny");
    await form.getByRole("button", { name: "Download", exact: true }).click();

    const row = page.locator(".model-row", { hasText: "Served tiny" });
    const progress = row.getByTestId("download-progress");
    await progress.waitFor({ timeout: 10_000 });
    // Wait for a progress event that reports bytes, then read the bar and its words.
    await row.locator("progress:not([value='0'])").waitFor({ timeout: 10_000 });
    const percent = Number(await row.locator("progress").getAttribute("value"));
    assert.ok(percent > 0 && percent < 100, `part way (${percent}%)`);
    await row.getByText(/\/s · .* left/).waitFor({ timeout: 10_000 });
    await row.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "settings-download-progress");

    await progress.waitFor({ state: "detached", timeout: 30_000 });
    await row.and(page.locator('[data-status="installed"], [data-status="active"]')).waitFor({ timeout: 30_000 });
    const { models } = await session.engine.call("models.list", {});
    assert.equal(models.find((model) => model.name === "Served tiny")?.installed, true);
  });
});
