/**
 * The memory browser in Chromium against headless mode with no model: an imported conversation read as a
 * transcript, a fact edited and pinned that survives a reload, its edit undone, Ctrl+K, and a screenshot of every
 * screen in the light and the dark theme (test-results/, to look at).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
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
  saveScreenshot,
} from "./browserHarness.ts";

const unavailable = browserUnavailableReason();

describe("the memory browser in Chromium, on the real engine", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  let importedId: string;
  const pageErrors: string[] = [];

  before(async () => {
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-memory-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    const { engine } = session;
    ({ conversationId: importedId } = await engine.call("memory.ingest", {
      turns: [
        { speaker: "Caroline", text: "I went to a **support group** yesterday.", at: "2023-05-07T13:56:00.000Z" },
        { speaker: "Melanie", text: "How was it? `<b>` tags stay text.", at: "2023-05-07T13:57:00.000Z" },
        { speaker: "Caroline", text: "I want to study counselling next year.", at: "2023-06-02T10:00:00.000Z" },
      ],
    }));
    await engine.call("conversations.rename", { id: importedId, title: "Caroline and Melanie" });
    await engine.call("facts.create", {
      subject: "Caroline",
      predicate: "wants to study",
      object: "counselling",
      statement: "Caroline wants to study counselling.",
    });
    await engine.call("facts.create", {
      subject: "Melanie",
      predicate: "lives in",
      object: "Lyon",
      statement: "Melanie lives in Lyon.",
    });
    await engine.call("summaries.update", { text: "Caroline is planning a career in counselling." });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.goto(session.server.url);
  });

  after(async () => {
    await browser?.close();
    await session?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("an imported conversation opens as its transcript: speakers, original times, Markdown, no markup from text", async () => {
    await page.locator(".conversation", { hasText: "Caroline and Melanie" }).click();
    const turns = page.getByTestId("message");
    await turns.nth(2).waitFor();
    assert.equal(await turns.count(), 3);
    assert.equal(await turns.first().getAttribute("data-speaker"), "Caroline");
    assert.match(await turns.first().innerText(), /2023/);
    assert.equal(await turns.first().locator("strong", { hasText: "support group" }).count(), 1);
    assert.match(await turns.nth(1).innerText(), /<b> tags stay text/);
  });

  test("Ctrl+K focuses the memory search from any screen; Enter runs it", async () => {
    await page.getByTestId("nav-settings").click();
    await page.keyboard.press("Control+k");
    const search = page.getByTestId("memory-search");
    await search.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "memory-search");
    await page.keyboard.type("counselling");
    await page.keyboard.press("Enter");
    await page.getByTestId("episode-row").filter({ hasText: "study counselling next year" }).waitFor();
    await page.getByTestId("fact-row").filter({ hasText: "Caroline wants to study counselling." }).waitFor();
    await page.getByRole("button", { name: "Clear search" }).click();
  });

  test("a fact edited in place and pinned is still so after a reload; its history undoes the edit", async () => {
    await page.getByRole("tab", { name: "Facts" }).click();
    const row = () => page.getByTestId("fact-row").filter({ hasText: "Melanie" });
    await row().getByRole("button", { name: "Pin" }).click();
    await row().and(page.locator('[data-pinned="true"]')).waitFor();
    await row().getByRole("button", { name: "Edit" }).click();
    const sentence = row().getByRole("textbox", { name: "Fact sentence" });
    await sentence.fill("Melanie lives in Lyon, near the old town.");
    await sentence.press("Enter");
    await row().getByText("Melanie lives in Lyon, near the old town.").waitFor();

    await page.reload();
    await page.getByRole("tab", { name: "Facts" }).click();
    await row().and(page.locator('[data-pinned="true"]')).waitFor();
    assert.match(await row().innerText(), /Melanie lives in Lyon, near the old town\./);
    assert.match(await row().innerText(), /Edited by you/);

    await row().getByRole("button", { name: "History" }).click();
    // Newest first: the edit, which is the change Undo can still revert.
    const edit = row().getByTestId("history-entry").filter({ hasText: "near the old town" });
    await edit.first().waitFor();
    await saveScreenshot(page, "memory-fact-history");
    await edit.first().getByRole("button", { name: "Undo" }).click();
    await row()
      .locator(".memory-text", { hasText: /^Melanie lives in Lyon\.$/ })
      .waitFor();
    const stored = await session.engine.call("facts.list", { entity: "Melanie" });
    assert.equal(stored.facts[0]?.statement, "Melanie lives in Lyon.");
    assert.equal(stored.facts[0]?.pinned, true, "undoing the edit keeps the pin");
  });

  test("every screen, light and dark", async () => {
    const memoryTabs = ["Facts", "Entities", "Episodes", "Summaries", "Working memory", "Timeline"];
    const settingsTabs = ["Models", "Memory", "Data", "Privacy"];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId("nav-chat").click();
      await page.locator(".conversation", { hasText: "Caroline and Melanie" }).click();
      await page.getByTestId("message").first().waitFor();
      await saveScreenshot(page, `chat-transcript-${scheme}`);
      await page.getByTestId("nav-memory").click();
      for (const tab of memoryTabs) {
        await page.getByRole("tab", { name: tab, exact: true }).click();
        await page.getByRole("tabpanel").locator("> *").first().waitFor();
        if (tab === "Timeline") await page.locator(".timeline-bar").first().waitFor();
        if (tab === "Entities") await page.getByTestId("entity-row").first().waitFor();
        await saveScreenshot(page, `memory-${tab.toLowerCase().replace(" ", "-")}-${scheme}`);
      }
      await page.getByTestId("nav-settings").click();
      for (const tab of settingsTabs) {
        await page.getByRole("tab", { name: tab, exact: true }).click();
        await page.getByRole("tabpanel").getByRole("heading", { name: tab, exact: true }).waitFor();
        await saveScreenshot(page, `settings-${tab.toLowerCase()}-${scheme}`);
      }
      await page.getByTestId("nav-graph").click();
      await page.getByTestId("graph-canvas").waitFor();
      await page.waitForTimeout(1500);
      await saveScreenshot(page, `graph-${scheme}`);
      await page.evaluate(() => {
        window.location.hash = "#/setup";
      });
      await page.getByRole("heading", { name: "Welcome to Engram" }).waitFor();
      await saveScreenshot(page, `setup-${scheme}`);
    }
  });

  test("no script error or CSP violation", () => {
    assert.deepEqual(pageErrors, []);
  });
});
