/**
 * models.download checks every hop and installs only GGUF files (issue 12, review items), through engine.dispatch
 * with the real model service. One local server plays both the internet (reached as 203.0.113.7, a documentation
 * address, which the injected fetch maps to it) and this computer's own services (127.0.0.1).
 */
import assert from "node:assert/strict";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload, ModelEntry } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { LocalModelService } from "../../core/model/localModelService.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

const publicHost = "203.0.113.7";

describe("models.download redirects and content", () => {
  let dataDir: string;
  let engine: Engine;
  let server: Server;
  let port: number;
  let model: Buffer;
  const hits = new Map<string, number>();
  let releaseSlow: (() => void) | undefined;
  let slowArrived: (() => void) | undefined;

  before(async () => {
    model = await readFile(ensureTinyModel().modelPath);
    server = createServer((request, response) => {
      const path = request.url ?? "";
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const local = `http://127.0.0.1:${port}`;
      const routes: Record<string, () => void> = {
        "/public/model.gguf": () => response.end(model),
        "/public/to-internal.gguf": () => response.writeHead(302, { location: `${local}/internal/admin` }).end(),
        "/public/to-file.gguf": () => response.writeHead(302, { location: "file:///etc/passwd" }).end(),
        "/public/page.gguf": () => response.writeHead(200, { "content-type": "text/html" }).end("<html>Hi</html>"),
        "/public/missing.gguf": () => response.writeHead(404).end("no such file under /srv/secret-folder"),
        "/public/slow-redirect.gguf": () => {
          slowArrived?.();
          releaseSlow = () => response.writeHead(302, { location: "/public/model.gguf" }).end();
        },
        "/internal/admin": () => response.end("<html>router admin page</html>"),
        "/mirror/model.gguf": () => response.writeHead(302, { location: "/public/model.gguf" }).end(),
      };
      (routes[path] ?? (() => response.writeHead(404).end()))();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    // The "internet" host is this server too; only the address the downloader sees differs.
    const mappedFetch: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (url.hostname === publicHost) {
        url.hostname = "127.0.0.1";
        url.port = String(port);
      }
      return fetch(url, init);
    };
    dataDir = await mkdtemp(join(tmpdir(), "engram-redirects-"));
    engine = await Engine.open({
      dataDir,
      runJobs: false,
      models: (context) =>
        LocalModelService.create({
          dataDir: context.dataDir,
          events: context.events,
          fetch: mappedFetch,
          retryDelaysMs: [],
          onModelChosen: (choice) => context.saveModelChoice(choice),
        }),
    });
  });
  after(async () => {
    await engine?.dispose();
    server?.closeAllConnections();
    server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Starts a download and resolves with its final progress event. */
  async function download(url: string, name: string): Promise<EventPayload<"models.progress">> {
    const started = await engine.dispatch("models.download", { url, name });
    assert.ok(started.ok, JSON.stringify(started));
    const { downloadId } = started.data as { downloadId: string };
    return new Promise((resolve) => {
      const off = engine.events.on("models.progress", (event) => {
        if (event.downloadId !== downloadId || !["done", "failed", "cancelled"].includes(event.status)) return;
        off();
        resolve(event);
      });
    });
  }
  const entry = async (name: string) =>
    ((await engine.dispatch("models.list", {})) as { ok: true; data: { models: ModelEntry[] } }).data.models.find(
      (model) => model.name === name,
    );
  const saysNothingOfTheServer = (message: string | undefined) => {
    assert.ok(message, "there is a message");
    assert.doesNotMatch(message, /127\.0\.0\.1|203\.0\.113|:\d{2,5}|\b(302|404)\b|secret|\/srv|admin|[0-9a-f]{64}/);
  };

  test("a redirect from the internet into this computer is refused and nothing is fetched there", async () => {
    const outcome = await download(`http://${publicHost}/public/to-internal.gguf`, "Redirected inward");
    assert.equal(outcome.status, "failed");
    assert.equal(outcome.code, "download_failed");
    saysNothingOfTheServer(outcome.error);
    assert.equal(hits.get("/internal/admin") ?? 0, 0, "the internal page was never requested");
    assert.equal((await entry("Redirected inward"))?.installed, false);
  });

  test("a redirect to something other than http(s) is refused", async () => {
    const outcome = await download(`http://${publicHost}/public/to-file.gguf`, "Redirected to a file");
    assert.equal(outcome.status, "failed");
    saysNothingOfTheServer(outcome.error);
    assert.equal((await entry("Redirected to a file"))?.installed, false);
  });

  test("what is not a GGUF is refused before it is installed", async () => {
    const outcome = await download(`http://${publicHost}/public/page.gguf`, "A web page");
    assert.equal(outcome.status, "failed");
    assert.match(outcome.error ?? "", /not a model file/);
    assert.equal((await entry("A web page"))?.installed, false);
  });

  test("a server's refusal is told in a plain sentence, without its status, address or body", async () => {
    const outcome = await download(`http://${publicHost}/public/missing.gguf`, "Missing");
    assert.equal(outcome.status, "failed");
    saysNothingOfTheServer(outcome.error);
  });

  test("turning offline on stops a download at its next redirect", async () => {
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const before = hits.get("/public/model.gguf") ?? 0;
    const outcome = download(`http://${publicHost}/public/slow-redirect.gguf`, "Slow");
    await arrived;
    assert.ok((await engine.dispatch("settings.update", { offline: true })).ok);
    releaseSlow!();
    const final = await outcome;
    assert.equal(final.status, "failed");
    assert.equal(final.code, "forbidden");
    assert.equal(hits.get("/public/model.gguf") ?? 0, before, "the redirect was not followed");
    assert.ok((await engine.dispatch("settings.update", { offline: false })).ok);
  });

  test("a real GGUF behind redirects within one network installs", async () => {
    const local = await download(`http://127.0.0.1:${port}/mirror/model.gguf`, "Local mirror");
    assert.equal(local.status, "done", JSON.stringify(local));
    assert.equal((await entry("Local mirror"))?.installed, true);
    const outside = await download(`http://${publicHost}/public/model.gguf`, "From the internet");
    assert.equal(outside.status, "done", JSON.stringify(outside));
    assert.equal((await entry("From the internet"))?.sizeBytes, model.length);
  });
});
