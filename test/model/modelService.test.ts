/**
 * The models.* methods end to end through the contract's dispatch, with a real host process, and with every
 * outbound connection refused except loopback, in this process and in the host: the runtime must never touch the
 * network except for an explicit download (here from a local server).
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { EventPayload, Settings } from "../../core/api/index.ts";
import { call, type Handlers } from "../../core/boundary.ts";
import { EventBus } from "../../core/eventBus.ts";
import { forkHostSpawner } from "../../core/model/hostSpawner.ts";
import { LocalModelService } from "../../core/model/localModelService.ts";
import { defaultSettings } from "../../core/store/settingsStore.ts";
import { installNetworkGuard } from "./fixtures/networkGuard.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

const settings: Settings = { ...defaultSettings, contextSize: 1024 };

describe("LocalModelService with the network refused", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "engram-models-"));
  const networkLog = join(dataDir, "network.log");
  const guard = fileURLToPath(new URL("./fixtures/networkGuard.ts", import.meta.url));
  const events = new EventBus();
  const statuses: EventPayload<"models.status">[] = [];
  const progress: EventPayload<"models.progress">[] = [];
  const chosen: unknown[] = [];
  let service: LocalModelService;
  let handlers: Handlers;
  let server: Server;
  let modelBytes: Buffer;
  let userCopy: string;

  before(async () => {
    writeFileSync(networkLog, "");
    process.env.ENGRAM_NETWORK_LOG = networkLog;
    installNetworkGuard();
    const { modelPath } = ensureTinyModel();
    modelBytes = readFileSync(modelPath);
    userCopy = join(dataDir, "My Tiny Model.gguf");
    copyFileSync(modelPath, userCopy);
    server = createServer((_request, response) => response.end(modelBytes));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    events.on("models.status", (status) => statuses.push(status));
    events.on("models.progress", (event) => progress.push(event));
    service = await LocalModelService.create({
      dataDir,
      events,
      spawner: forkHostSpawner({
        execArgv: ["--import", "tsx", "--import", guard],
        env: { ENGRAM_NETWORK_GUARD: "1", ENGRAM_NETWORK_LOG: networkLog },
      }),
      onModelChosen: (choice) => void chosen.push(choice),
    });
    handlers = service.handlers as unknown as Handlers;
    await service.applySettings(settings);
  });
  after(async () => {
    await service?.dispose();
    server?.close();
    events.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the guard itself refuses a non-loopback connection (so the other tests mean something)", async () => {
    await assert.rejects(fetch("http://192.0.2.1/"), /fetch failed/);
    assert.match(readFileSync(networkLog, "utf8"), /192\.0\.2\.1/);
    writeFileSync(networkLog, "");
  });

  test("models.list shows the catalog by RAM tier, with one default chat model and one embedder", async () => {
    const { models } = await call(handlers, "models.list", {});
    assert.ok(models.length >= 5);
    assert.ok(models.every((model) => model.status === "available" && !model.installed));
    assert.deepEqual(
      [...new Set(models.map((model) => model.ramTierGb))].sort((a, b) => (a ?? 0) - (b ?? 0)),
      [8, 16, 32],
    );
    assert.equal(models.filter((model) => model.kind === "embedding").length, 1);
    assert.equal(service.chatModel(), null, "no model: the app still works without one");
  });

  test("importing a local .gguf validates its header; a non-GGUF file is refused", async () => {
    const notGguf = join(dataDir, "notes.gguf");
    writeFileSync(notGguf, "these are my notes");
    await assert.rejects(call(handlers, "models.import", { path: notGguf }), /cannot be used as a model/);
    const entry = await call(handlers, "models.import", { path: userCopy });
    assert.equal(entry.installed, true);
    assert.equal(entry.status, "installed");
    assert.equal(entry.name, "Engram tiny random test model");
  });

  test("models.use loads the model in the host; it chats; the choice is handed to the engine", async () => {
    const { models } = await call(handlers, "models.use", { id: "local-my-tiny-model" });
    assert.equal(models.find((model) => model.id === "local-my-tiny-model")?.status, "active");
    assert.deepEqual(chosen, [{ chatModelId: "local-my-tiny-model", openAiEndpoint: null }]);
    const model = service.chatModel();
    assert.ok(model);
    assert.equal(model.contextSize >= 1024, true);
    const reply = await model.generate([{ role: "user", content: "Hi" }], { maxTokens: 5, temperature: 0 });
    assert.ok(reply.text.length > 0);
    assert.equal(statuses.at(-1)?.state, "ready");
  });

  test("applySettings with the same model keeps it loaded; an unknown embedder leaves lexical recall only", async () => {
    const before = service.chatModel();
    await service.applySettings({ ...settings, chatModelId: "local-my-tiny-model", embedderId: "all-minilm-l6-v2" });
    assert.equal(service.chatModel(), before);
    assert.equal(service.embedder(), null);
  });

  test("offline mode refuses downloads", async () => {
    await service.applySettings({ ...settings, chatModelId: "local-my-tiny-model", offline: true });
    await assert.rejects(
      call(handlers, "models.download", { url: "http://127.0.0.1:9/x.gguf", name: "X" }),
      /Offline mode is on/,
    );
    await service.applySettings({ ...settings, chatModelId: "local-my-tiny-model" });
  });

  test("models.download from a URL installs the file and records its sha256", async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`;
    const { downloadId } = await call(handlers, "models.download", { url, name: "Downloaded tiny" });
    while (!progress.some((event) => event.downloadId === downloadId && event.status === "done")) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // the manifest is written right after "done"
    const { models } = await call(handlers, "models.list", {});
    const entry = models.find((model) => model.id === "custom-downloaded-tiny");
    assert.equal(entry?.installed, true);
    assert.equal(entry?.sizeBytes, modelBytes.length);
    const manifest = JSON.parse(readFileSync(join(dataDir, "models", "manifest.json"), "utf8"));
    assert.match(JSON.stringify(manifest), /"tiny\.gguf":\s*"[0-9a-f]{64}"/);
  });

  test("deleting an imported model forgets it but keeps the user's file", async () => {
    await call(handlers, "models.delete", { id: "local-my-tiny-model" });
    assert.equal(service.chatModel(), null);
    assert.equal(existsSync(userCopy), true);
    const { models } = await call(handlers, "models.list", {});
    assert.equal(
      models.some((model) => model.id === "local-my-tiny-model"),
      false,
    );
  });

  test("nothing tried to reach the network (host process included)", () => {
    assert.equal(readFileSync(networkLog, "utf8"), "");
  });
});
