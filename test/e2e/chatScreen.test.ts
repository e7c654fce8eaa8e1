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

  test("opens with the token, then drops it from the address; a fresh start offers the setup, which can wait", async () => {
    await page.goto(session.server.url);
    await page.getByRole("heading", { name: "Welcome to Engram" }).waitFor();
    assert.doesNotMatch(page.url(), /token/);
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, "setup.png") });
    await page.getByRole("button", { name: /Not now/ }).click();
    await page.getByRole("button", { name: "New conversation" }).waitFor();
  });

  test("without a model, the screen says so before anything is sent, and offers the way to get one", async () => {
    await page.getByRole("status").filter({ hasText: "No chat model yet" }).waitFor();
    assert.match(await page.locator(".model-status").innerText(), /No chat model\s+Set up/);
  });

  test("creates a conversation, sends a message, and explains that no model is loaded", async () => {
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.locator(".conversation-item.selected").waitFor();
    await page.getByTestId("chat-input").fill("My sister Ada lives in Lyon.");
    await page.keyboard.press("Enter");
    await page
      .locator('[data-testid="message"][data-role="user"]', { hasText: "My sister Ada lives in Lyon." })
      .waitFor();
    const error = page.locator('.reply-error[data-code="no_model"]');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.innerText(), /saved and remembered/);
    // The composer is ready again, the message is kept.
    assert.equal(await page.getByTestId("chat-input").inputValue(), "");
    await page.screenshot({ path: join(screenshotDir, "chat-no-model.png") });
  });

  test("the failed reply's link opens the models settings with the catalog; a wrong file path is explained", async () => {
    await page.locator(".reply-error").getByRole("button", { name: "Set up a model" }).click();
    const panel = page.getByRole("tabpanel");
    await panel.getByRole("heading", { name: "Models", exact: true }).waitFor();
    // The catalog's chat models, each with a size, a memory tier and a Download button.
    await panel.locator(".model-row").first().waitFor();
    assert.ok((await panel.getByRole("button", { name: "Download" }).count()) >= 3);
    assert.match(await panel.locator(".model-details").first().innerText(), /GB · for \d+ GB of memory/);

    await panel.getByRole("textbox", { name: "Path of a .gguf model file" }).fill("/nowhere/missing.gguf");
    await panel.getByRole("button", { name: "Use this file" }).click();
    await panel.getByRole("alert").filter({ hasText: "/nowhere/missing.gguf" }).waitFor();
    await page.screenshot({ path: join(screenshotDir, "model-settings.png") });

    await page.getByTestId("nav-chat").click();
    assert.match(await page.locator(".model-status").innerText(), /No chat model/);
  });

  test("the reply error survives a reload (it is stored, not only streamed)", async () => {
    await page.reload();
    await page.locator(".reply-error").first().waitFor();
    assert.match(await page.locator(".reply-error").first().innerText(), /No chat model/);
  });

  test("a tab left open across a server restart explains how to reconnect", async () => {
    await page.evaluate(() => sessionStorage.setItem("engram.token", "stale-token-from-an-earlier-start"));
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "no longer connected" }).waitFor();
  });

  test("the page ran without script errors or CSP violations", () => {
    // Refused API calls (the missing file: 400 or 404, the stale token: 401) are logged by Chromium as failed loads;
    // nothing else may be.
    assert.deepEqual(
      pageErrors.filter(
        (text) => !/Failed to load resource: the server responded with a status of (400|401|404)/.test(text),
      ),
      [],
    );
  });
});
