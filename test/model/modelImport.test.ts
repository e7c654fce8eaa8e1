/**
 * models.import takes only complete GGUF files (issue 8, defect 8), through engine.dispatch with the real model
 * service: garbage, a truncated model, an HTML page and a folder named .gguf, a missing file, a symlink to a system
 * file and a named pipe are all refused quickly, with one message, without the process growing; and a download that
 * failed can be deleted from models.list.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload, ModelEntry } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { localModels } from "../../core/model/localModels.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

describe("models.import and failed downloads", () => {
  let dataDir: string;
  let engine: Engine;
  let server: Server;
  let origin: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-import-"));
    engine = await Engine.open({ dataDir, models: localModels(), runJobs: false });
    server = createServer((_request, response) => response.writeHead(404).end("Not Found: /secret/path"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await engine?.dispose();
    server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const models = async () =>
    ((await engine.dispatch("models.list", {})) as { ok: true; data: { models: ModelEntry[] } }).data.models;

  test("every file that cannot be used is refused quickly, with one message, and nothing grows", async () => {
    const tiny = await readFile(ensureTinyModel().modelPath);
    const files = join(dataDir, "files");
    await mkdir(files);
    const paths = {
      garbage: join(files, "garbage.gguf"),
      truncated: join(files, "truncated.gguf"),
      page: join(files, "page.gguf"),
      folder: join(files, "x.gguf"),
      missing: join(files, "missing.gguf"),
      systemLink: join(files, "passwd.gguf"),
      pipe: join(files, "pipe.gguf"),
    };
    await writeFile(paths.garbage, "GGUFgarbage");
    await writeFile(paths.truncated, tiny.subarray(0, 3000));
    await writeFile(paths.page, "<!doctype html><html><body>Model not found</body></html>");
    await mkdir(paths.folder);
    await symlink("/etc/passwd", paths.systemLink);
    execFileSync("mkfifo", [paths.pipe]);

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const messages = new Set<string>();
    for (const [name, path] of Object.entries(paths)) {
      const result = await engine.dispatch("models.import", { path });
      assert.equal(result.ok, false, `${name} was accepted`);
      assert.equal(!result.ok && result.error.code, "bad_input", `${name}: ${JSON.stringify(result)}`);
      messages.add(!result.ok ? result.error.message.replace(path, "<path>") : "");
    }
    const seconds = (performance.now() - started) / 1000;
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 ** 2;
    assert.equal(messages.size, 1, `one message for every unusable file: ${[...messages].join(" | ")}`);
    assert.match([...messages][0]!, /^<path> cannot be used as a model/);
    // Before: 19 s and 1.2 GB for the 11-byte file alone.
    assert.ok(seconds < 10, `refusing them took ${seconds.toFixed(1)} s`);
    assert.ok(grownMb < 200, `the process grew by ${grownMb.toFixed(0)} MB`);
    assert.equal(
      (await models()).some((model) => model.installed),
      false,
      "nothing was installed",
    );

    // A real model still imports.
    const good = join(files, "good.gguf");
    await writeFile(good, tiny);
    const imported = await engine.dispatch("models.import", { path: good });
    assert.ok(imported.ok, JSON.stringify(imported));
  });

  test("a download that failed is listed as failed and can be deleted", async () => {
    const failed = new Promise<EventPayload<"models.progress">>((resolve) => {
      const off = engine.events.on("models.progress", (event) => {
        if (event.status !== "failed") return;
        off();
        resolve(event);
      });
    });
    const started = await engine.dispatch("models.download", { url: `${origin}/model.gguf`, name: "Broken link" });
    assert.ok(started.ok, JSON.stringify(started));
    const event = await failed;
    assert.doesNotMatch(event.error ?? "", /404|secret|127\.0\.0\.1/, "the server's answer is not repeated");
    const entry = (await models()).find((model) => model.name === "Broken link");
    assert.equal(entry?.status, "failed");

    const deleted = await engine.dispatch("models.delete", { id: entry!.id });
    assert.deepEqual(deleted, { ok: true, data: { deleted: true } });
    assert.equal(
      (await models()).some((model) => model.id === entry!.id),
      false,
    );
    const again = await engine.dispatch("models.delete", { id: entry!.id });
    assert.equal(!again.ok && again.error.code, "not_found");
  });
});
