/**
 * Why a model download failed is kept in the manifest, so the models list still says so after the app restarts (or
 * the page reloads); a successful download, a cancel or a deletion clears it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { call, type Handlers } from "../../core/boundary.ts";
import { EventBus } from "../../core/eventBus.ts";
import type { CatalogEntry } from "../../core/model/catalog.ts";
import { forkHostSpawner } from "../../core/model/hostSpawner.ts";
import { LocalModelService } from "../../core/model/localModelService.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

let server: Server;
let dataDir: string;
/** What the local server answers next for the model file. */
let answer: { status: number; body: string | Buffer } = { status: 500, body: "broken" };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "engram-failure-"));
  server = createServer((_request, response) => {
    response.writeHead(answer.status, { "Content-Length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

after(() => {
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function catalog(): CatalogEntry[] {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.gguf`;
  return [
    {
      id: "flaky-model",
      name: "Flaky model",
      kind: "chat",
      ramTierGb: 8,
      licence: "MIT",
      contextLength: 1024,
      files: [{ url, path: "model.gguf", sizeBytes: 6 }],
    },
  ];
}

async function open() {
  const events = new EventBus();
  const service = await LocalModelService.create({
    dataDir,
    events,
    catalog: catalog(),
    retryDelaysMs: [],
    spawner: forkHostSpawner(),
  });
  return { service, events, handlers: service.handlers as unknown as Handlers };
}

function finished(events: EventBus, downloadId: string): Promise<EventPayload<"models.progress">> {
  return new Promise((resolve) => {
    const off = events.on("models.progress", (event) => {
      if (event.downloadId !== downloadId || ["downloading", "verifying"].includes(event.status)) return;
      off();
      resolve(event);
    });
  });
}

/** The manifest is written just after the last progress event. */
async function listedEntry(handlers: Handlers, until: (status: string) => boolean) {
  for (let waited = 0; waited < 3000; waited += 20) {
    const entry = (await call(handlers, "models.list", {})).models.find((model) => model.id === "flaky-model");
    if (entry && until(entry.status)) return entry;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail("models.list never showed the expected status");
}

test("a failed download's reason is listed, and still listed after a restart", async () => {
  const first = await open();
  const { downloadId } = await call(first.handlers, "models.download", { id: "flaky-model" });
  const outcome = await finished(first.events, downloadId);
  assert.equal(outcome.status, "failed");
  const failed = await listedEntry(first.handlers, (status) => status === "failed");
  assert.ok(failed.error && failed.error.length > 0, "the reason is listed");
  await first.service.dispose();

  const second = await open();
  const again = await listedEntry(second.handlers, () => true);
  assert.equal(again.status, "failed");
  assert.equal(again.error, failed.error);

  // A download that then succeeds clears it (a real GGUF: anything else is refused before it is installed).
  answer = { status: 200, body: readFileSync(ensureTinyModel().modelPath) };
  const retry = await call(second.handlers, "models.download", { id: "flaky-model" });
  assert.equal((await finished(second.events, retry.downloadId)).status, "done");
  const installed = await listedEntry(second.handlers, (status) => status === "installed");
  assert.equal(installed.error, undefined);
  await second.service.dispose();

  const third = await open();
  assert.equal((await listedEntry(third.handlers, () => true)).error, undefined);
  await third.service.dispose();
});
