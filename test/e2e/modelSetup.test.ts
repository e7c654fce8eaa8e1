/**
 * The chat with a real (tiny, generated) GGUF in Chromium against headless mode: the model chosen by its path in
 * the settings, a reply watched as it streams, the context meter, a reply stopped mid-way, the whole chat done with
 * the keyboard only, and the turn found again in the memory browser.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
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

describe("chatting with a tiny GGUF in Chromium", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  let modelPath: string;
  const pageErrors: string[] = [];
  const replies = () => page.locator('[data-testid="message"][data-role="assistant"]');

  before(async () => {
    await ensureRendererBuilt();
    ({ modelPath } = ensureTinyModel());
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-model-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.goto(session.server.url);
    await page.getByRole("button", { name: /Not now/ }).click();
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("the banner's button opens the models settings; a .gguf path becomes the chat model", async () => {
    await page.getByRole("status").getByRole("button", { name: "Set up a model" }).click();
    const panel = page.getByRole("tabpanel");
    await panel.getByRole("textbox", { name: "Path of a .gguf model file" }).fill(modelPath);
    await panel.getByRole("button", { name: "Use this file" }).click();
    // Loading starts a model host process; on a busy two-core machine that takes a while.
    await panel.locator(".model-row", { hasText: modelPath }).getByText("In use").waitFor({ timeout: 90_000 });
    await page.getByTestId("nav-chat").click();
    await page.getByRole("status").filter({ hasText: "No chat model yet" }).waitFor({ state: "detached" });
    assert.match(await page.locator(".model-status").innerText(), /Engram tiny random test model\s+Change/);
  });

  test("a reply streams in token by token, then the context meter says how much of the budget the prompt took", async () => {
    await page.getByTestId("chat-input").fill("My dog is called Pepper.");
    await page.getByTestId("chat-send").click();
    const reply = replies().last();
    // Sample the reply's text while it streams: it must grow through several lengths before it settles.
    const lengths = new Set<number>();
    for (let waited = 0; waited < 60_000; waited += 25) {
      const status = await reply.getAttribute("data-status").catch(() => null);
      if (status === "streaming") lengths.add((await reply.innerText().catch(() => "")).length);
      if (status === "done" || status === "stopped") break;
      await page.waitForTimeout(25);
    }
    assert.equal(await reply.getAttribute("data-status"), "done");
    assert.ok(lengths.size >= 2, `the text grew while streaming (lengths seen: ${[...lengths].join(", ")})`);
    const meter = page.getByTestId("context-meter");
    const used = Number(await meter.getAttribute("data-used"));
    const budget = Number(await meter.getAttribute("data-budget"));
    assert.ok(used > 0 && used <= budget, `${used} of ${budget}`);
    assert.match(await meter.innerText(), /of 3,500 tokens/);
    await saveScreenshot(page, "chat-with-model");
  });

  test("Stop ends a reply mid-way and keeps what came", async () => {
    await page.getByTestId("chat-input").fill("Tell me a long story about Pepper.");
    await page.keyboard.press("Enter");
    await page.getByTestId("chat-stop").waitFor();
    await page.getByTestId("chat-stop").click();
    const reply = replies().last();
    await reply.and(page.locator('[data-status="stopped"]')).waitFor({ timeout: 30_000 });
    assert.match(await reply.innerText(), /Stopped\./);
    await page.getByTestId("chat-send").waitFor();
  });

  test("keyboard only: Tab reaches the message box, Shift+Enter adds a line, Enter sends, Escape stops", async () => {
    await page.reload();
    await page.getByTestId("chat-input").waitFor();
    let reached = false;
    for (let presses = 0; presses < 60 && !reached; presses += 1) {
      await page.keyboard.press("Tab");
      reached = await page.getByTestId("chat-input").evaluate((element) => element === document.activeElement);
    }
    assert.ok(reached, "the message box is reachable with Tab");
    await page.keyboard.type("First line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    assert.equal(await page.getByTestId("chat-input").inputValue(), "First line\nsecond line");
    const before = await replies().count();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="message"][data-role="user"]', { hasText: "second line" }).waitFor();
    await page.getByTestId("chat-stop").waitFor();
    await page.keyboard.press("Escape");
    await replies().nth(before).and(page.locator('[data-status="stopped"]')).waitFor({ timeout: 30_000 });
  });

  test("the turn is found in the memory browser, and Show in chat leads back to it", async () => {
    await page.getByTestId("nav-memory").click();
    await page.getByTestId("memory-search").fill("Pepper");
    await page.getByTestId("memory-search").press("Enter");
    // The row's own text, not its "in <conversation title>" line: the conversation is titled after its first message,
    // so every turn of it would match a plain hasText.
    const row = page
      .getByTestId("episode-row")
      .filter({ has: page.locator(".memory-text", { hasText: /^My dog is called Pepper\.$/ }) });
    await row.first().waitFor();
    await row.first().getByRole("button", { name: "Show in chat" }).click();
    const turn = page.locator('[data-testid="message"][data-highlighted="true"]');
    await turn.waitFor();
    assert.match(await turn.innerText(), /My dog is called Pepper\./);
  });

  test("no script error or CSP violation", () => {
    assert.deepEqual(pageErrors, []);
  });
});
