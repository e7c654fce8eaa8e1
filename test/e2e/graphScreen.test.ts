import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import { browserUnavailableReason, ensureRendererBuilt, launchChromium, rendererDir } from "./browserHarness.ts";

const unavailable = browserUnavailableReason();
const resultsDir = fileURLToPath(new URL("../../test-results/", import.meta.url));

/** The graph's colour for people in the light theme (graph.css), to find a person on the canvas as a user would. */
const personColour = { red: 0x3d, green: 0x5b, blue: 0xd9 };

/**
 * Where pixels of `colour` are on the element, as its centre and their count: the WebGL canvas has no DOM per node,
 * so the test looks at the picture like a user does. The screenshot is decoded by the page's own image decoder.
 */
async function findColour(page: Page, element: Locator, colour: typeof personColour) {
  const png = (await element.screenshot()).toString("base64");
  return page.evaluate(
    async ({ png, colour }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let count = 0;
      let sumX = 0;
      let sumY = 0;
      let painted = 0;
      const [backgroundRed, backgroundGreen, backgroundBlue] = [data[0]!, data[1]!, data[2]!];
      for (let index = 0; index < data.length; index += 4) {
        // Inline arithmetic only: a named helper here would be renamed by the test's compiler into a call the page
        // does not have.
        const [red, green, blue] = [data[index]!, data[index + 1]!, data[index + 2]!];
        const fromBackground =
          Math.abs(red - backgroundRed) + Math.abs(green - backgroundGreen) + Math.abs(blue - backgroundBlue);
        if (fromBackground > 30) painted += 1;
        if (Math.abs(red - colour.red) + Math.abs(green - colour.green) + Math.abs(blue - colour.blue) > 24) continue;
        const pixel = index / 4;
        count += 1;
        sumX += pixel % image.width;
        sumY += Math.floor(pixel / image.width);
      }
      return { count, painted, x: count ? sumX / count : 0, y: count ? sumY / count : 0 };
    },
    { png, colour },
  );
}

describe("the memory graph in Chromium, on the real engine", { skip: unavailable ?? false }, () => {
  let dataDir: string;
  let session: HeadlessSession;
  let browser: Browser;
  let page: Page;
  let entityCount = 0;
  const pageErrors: string[] = [];

  before(async () => {
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "engram-e2e-graph-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir });
    const facts: [string, string, string][] = [
      ["Ana", "lives in", "Lisbon"],
      ["Ana", "works at", "Acme"],
      ["Rui", "lives in", "Porto"],
      ["Rui", "studies at", "University of Porto"],
      ["Marta", "works at", "Acme"],
      ["Marta", "lives in", "Braga"],
      ["Acme", "is based in", "Lisbon"],
    ];
    for (const [subject, predicate, object] of facts) {
      await session.engine.call("facts.create", {
        subject,
        predicate,
        object,
        statement: `${subject} ${predicate} ${object}.`,
      });
    }
    entityCount = (await session.engine.call("graph.get", {})).totalNodes;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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

  test("the graph screen draws the entities created through the API", async () => {
    await page.goto(session.server.url);
    await page.getByTestId("nav-graph").click();
    const canvas = page.getByTestId("graph-canvas");
    await canvas.waitFor();
    await page
      .locator(".graph-count")
      .filter({ hasText: `${entityCount} of ${entityCount} entities` })
      .waitFor();
    // Drawn, not only counted: the canvas holds nodes in the people colour and other marks.
    await page.waitForTimeout(300);
    const drawn = await findColour(page, canvas, personColour);
    assert.ok(drawn.count > 20, `people are drawn (${drawn.count} pixels)`);
    assert.ok(drawn.painted > 500, `the canvas is not blank (${drawn.painted} pixels)`);
    assert.match(await page.locator(".graph-kinds").innerText(), /People\s*[1-9]/);
    assert.ok(entityCount >= 8);
  });

  test("search finds Ana on screen and in memory; choosing her opens her neighbourhood and her facts", async () => {
    await page.getByRole("searchbox", { name: "Search the graph" }).fill("Ana");
    await page.keyboard.press("Enter");
    const results = page.getByRole("region", { name: "Search results" });
    await results.getByText("1 on screen").waitFor();
    await results.getByRole("button", { name: /^Ana/ }).click();
    const inspector = page.getByRole("complementary", { name: "Entity Ana" });
    await inspector.waitFor();
    await inspector.getByText("Ana lives in Lisbon.").waitFor();
    await inspector.getByText("Ana works at Acme.").waitFor();
    await page.locator(".graph-count").filter({ hasText: "Around Ana: 3 of 3 entities" }).waitFor();
    assert.equal(await inspector.locator(".graph-connection").count(), 2);
  });

  test("a click on a node in the drawing selects it", async () => {
    await page.getByRole("button", { name: "Close the entity" }).click();
    await page.getByRole("complementary", { name: "Entity" }).waitFor();
    const canvas = page.getByTestId("graph-canvas");
    // The layout settles within a few seconds; then Ana (the one person around her) is where the blue is.
    await page.locator(".graph-layout-status").waitFor({ state: "hidden", timeout: 15_000 });
    await page.waitForTimeout(400);
    const ana = await findColour(page, canvas, personColour);
    await page.screenshot({ path: join(resultsDir, "graph-neighbourhood-light.png") });
    assert.ok(ana.count > 20, `Ana is drawn (${ana.count} pixels)`);
    await canvas.click({ position: { x: ana.x, y: ana.y } });
    await page.getByRole("complementary", { name: "Entity Ana" }).waitFor();
  });

  test("a relabel through the screen is what entities.list answers, and the drawing keeps the entity", async () => {
    const inspector = page.getByRole("complementary", { name: "Entity Ana" });
    await inspector.getByRole("textbox", { name: "Name" }).fill("Ana Sousa");
    await inspector.getByRole("button", { name: "Rename" }).click();
    await page.getByRole("complementary", { name: "Entity Ana Sousa" }).waitFor();
    const { entities } = await session.engine.call("entities.list", { query: "Ana" });
    assert.deepEqual(
      entities.map((entity) => entity.name),
      ["Ana Sousa"],
    );
    await page.locator(".graph-count").filter({ hasText: "Around Ana Sousa: 3 of 3 entities" }).waitFor();
  });

  test("the keyboard reaches the drawing and the overview; screenshots light and dark", async () => {
    await page.getByRole("button", { name: "Overview" }).click();
    await page
      .locator(".graph-count")
      .filter({ hasText: `${entityCount} of ${entityCount} entities` })
      .waitFor();
    await page.getByRole("button", { name: "Close the entity" }).click();
    const search = page.getByRole("searchbox", { name: "Search the graph" });
    await search.fill("");
    await page.getByTestId("graph-canvas").focus();
    await page.keyboard.press("+");
    await page.keyboard.press("0");
    await page.locator(".graph-layout-status").waitFor({ state: "hidden", timeout: 15_000 });
    await mkdir(resultsDir, { recursive: true });
    const shoot = async (name: string) => {
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await page.waitForTimeout(400);
        await page.screenshot({ path: join(resultsDir, `${name}-${colorScheme}.png`) });
      }
      await page.emulateMedia({ colorScheme: "light" });
    };
    await shoot("graph-overview");

    await search.fill("Acme");
    await page.keyboard.press("Enter");
    await page.getByRole("region", { name: "Search results" }).getByRole("button", { name: /^Acme/ }).waitFor();
    await shoot("graph-search");

    await search.fill("Ana");
    await page.keyboard.press("Enter");
    await page
      .getByRole("region", { name: "Search results" })
      .getByRole("button", { name: /^Ana Sousa/ })
      .click();
    const inspector = page.getByRole("complementary", { name: "Entity Ana Sousa" });
    await inspector.getByText("Merge or connect").click();
    await inspector.getByRole("searchbox", { name: "Connect to" }).fill("Lis");
    await inspector.locator(".graph-connect").getByRole("button", { name: "Lisbon", exact: true }).waitFor();
    await shoot("graph-entity");
  });

  test("the page ran without script errors or CSP violations (the layout worker included)", () => {
    assert.deepEqual(pageErrors, []);
  });
});
