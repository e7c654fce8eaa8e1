import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import {
  browserUnavailableReason,
  ensureRendererBuilt,
  launchChromium,
  rendererDir,
  screenshotDir,
} from "./browserHarness.ts";

const unavailable = browserUnavailableReason();

describe("the served renderer in Chromium, on the real engine without a model", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("opens with the token, then drops it from the address", async () => {
    await page.goto(session.server.url);
    await page.getByRole("button", { name: "New conversation" }).waitFor();
    assert.equal(new URL(page.url()).hash, "");
  });

  test("creates a conversation, sends a message, and explains that no model is loaded", async () => {
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.locator(".conversation.selected").waitFor();
    await page.getByRole("textbox", { name: "Message" }).fill("My sister Ada lives in Lyon.");
    await page.keyboard.press("Enter");
    await page.locator(".message.user", { hasText: "My sister Ada lives in Lyon." }).waitFor();
    const error = page.locator('.reply-error[data-code="no_model"]');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.innerText(), /Settings → Models/);
    // The composer is ready again, the message is kept.
    assert.equal(await page.getByRole("textbox", { name: "Message" }).inputValue(), "");
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, "chat-no-model.png") });
  });

  test("the reply error survives a reload (it is stored, not only streamed)", async () => {
    await page.reload();
    await page.locator(".reply-error").first().waitFor();
    assert.match(await page.locator(".reply-error").first().innerText(), /No chat model/);
  });

  test("the page ran without script errors or CSP violations", () => {
    assert.deepEqual(pageErrors, []);
  });
});
