import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
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
  screenshotDir,
} from "./browserHarness.ts";

const unavailable = browserUnavailableReason();

describe("from no model to a reply, in Chromium, with a tiny GGUF", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  let modelPath: string;

  before(async () => {
    await ensureRendererBuilt();
    ({ modelPath } = ensureTinyModel());
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-model-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await page.goto(session.server.url);
    await page.getByRole("button", { name: /Not now/ }).click();
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("the banner's button opens the models settings; a .gguf path on this computer becomes the chat model", async () => {
    await page.getByRole("status").getByRole("button", { name: "Set up a model" }).click();
    const panel = page.getByRole("tabpanel");
    await panel.getByRole("textbox", { name: "Path of a .gguf model file" }).fill(modelPath);
    await panel.getByRole("button", { name: "Use this file" }).click();
    // Loading starts a model host process; on a busy two-core machine that takes a while.
    const row = panel.locator(".model-row", { hasText: modelPath });
    await row.getByText("In use").waitFor({ timeout: 90_000 });
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, "model-in-use.png") });
    await page.getByTestId("nav-chat").click();
    await page.getByRole("status").filter({ hasText: "No chat model yet" }).waitFor({ state: "detached" });
    assert.match(await page.locator(".model-status").innerText(), /Engram tiny random test model\s+Change/);
  });

  test("a message now gets a streamed reply instead of the no-model error", async () => {
    await page.getByTestId("chat-input").fill("My dog is called Pepper.");
    await page.keyboard.press("Enter");
    const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
    await reply.and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    assert.ok((await reply.locator(".message-text").innerText()).length > 0);
    assert.equal(await page.locator(".reply-error").count(), 0);
  });
});
