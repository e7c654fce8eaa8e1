/** Model downloads against a local HTTP server on 127.0.0.1: what a user sees while a model downloads. */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { EngramError } from "../../core/errors.ts";
import { EventBus } from "../../core/eventBus.ts";
import { ModelDownloader } from "../../core/model/modelDownloader.ts";

const payload = randomBytes(3 * 1024 * 1024);
const payloadSha = createHash("sha256").update(payload).digest("hex");

interface ServerControl {
  /** Close the connection after this many bytes on the next full request. */
  cutAfter?: number;
  /** Stream slowly so a test can cancel mid-way. */
  slow?: boolean;
  rangeHeaders: string[];
}

describe("ModelDownloader", () => {
  let server: Server;
  let baseUrl: string;
  let directory: string;
  const control: ServerControl = { rangeHeaders: [] };
  let events: EventBus;
  let progress: EventPayload<"models.progress">[];
  let downloader: ModelDownloader;

  before(async () => {
    server = createServer((request, response) => {
      const range = request.headers.range;
      control.rangeHeaders.push(range ?? "");
      let start = 0;
      if (range) {
        start = Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0);
        response.writeHead(206, {
          "content-length": payload.length - start,
          "content-range": `bytes ${start}-${payload.length - 1}/${payload.length}`,
        });
      } else {
        response.writeHead(200, { "content-length": payload.length });
      }
      const body = payload.subarray(start);
      if (control.cutAfter !== undefined && !range) {
        const cut = control.cutAfter;
        control.cutAfter = undefined;
        response.write(body.subarray(0, cut), () => response.socket?.destroy());
        return;
      }
      if (control.slow) {
        let offset = 0;
        const timer = setInterval(() => {
          if (response.destroyed) return clearInterval(timer);
          response.write(body.subarray(offset, offset + 64 * 1024));
          offset += 64 * 1024;
          if (offset >= body.length) {
            clearInterval(timer);
            response.end();
          }
        }, 20);
        return;
      }
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "engram-download-"));
    control.rangeHeaders = [];
    control.cutAfter = undefined;
    control.slow = false;
    events = new EventBus();
    progress = [];
    events.on("models.progress", (event) => progress.push(event));
    downloader = new ModelDownloader({ events, retryDelaysMs: [10, 10], progressIntervalMs: 0 });
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  test("reports progress with bytes, speed and ETA, verifies the sha256 and ends with done", async () => {
    const target = join(directory, "model.gguf");
    const [result] = await downloader.start("d1", "m1", [{ url: `${baseUrl}/m.gguf`, target, sha256: payloadSha }]);
    assert.equal(result?.sha256, payloadSha);
    assert.deepEqual(readFileSync(target), payload);
    const downloading = progress.filter((event) => event.status === "downloading");
    assert.ok(downloading.length >= 2);
    assert.ok(downloading.every((event) => event.totalBytes === payload.length && event.bytesPerSecond >= 0));
    assert.ok(downloading.some((event) => event.etaSeconds !== null));
    const received = downloading.map((event) => event.receivedBytes);
    assert.deepEqual(
      received,
      [...received].sort((a, b) => a - b),
    );
    assert.deepEqual(
      progress.slice(-2).map((event) => event.status),
      ["verifying", "done"],
    );
    assert.equal(progress.at(-1)?.receivedBytes, payload.length);
  });

  test("a connection cut half-way is resumed with an HTTP Range request and the file is intact", async () => {
    control.cutAfter = 1024 * 1024;
    const target = join(directory, "resumed.gguf");
    const [result] = await downloader.start("d2", "m2", [{ url: `${baseUrl}/m.gguf`, target }]);
    assert.equal(result?.sha256, payloadSha, "the computed sha256 is recorded even when none was given");
    assert.deepEqual(readFileSync(target), payload);
    assert.equal(control.rangeHeaders.length, 2);
    const resumedFrom = Number(/bytes=(\d+)-/.exec(control.rangeHeaders[1] ?? "")?.[1]);
    assert.ok(resumedFrom > 0 && resumedFrom <= 1024 * 1024, `resumed from ${control.rangeHeaders[1]}`);
  });

  test("a checksum mismatch deletes the file and fails with checksum_mismatch", async () => {
    const target = join(directory, "bad.gguf");
    await assert.rejects(
      downloader.start("d3", "m3", [{ url: `${baseUrl}/m.gguf`, target, sha256: "0".repeat(64) }]),
      (error: unknown) => error instanceof EngramError && error.code === "checksum_mismatch",
    );
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(`${target}.part`), false);
    assert.equal(progress.at(-1)?.status, "failed");
    assert.equal(progress.at(-1)?.code, "checksum_mismatch", "the UI can tell a bad file from a full disk");
    assert.match(progress.at(-1)?.error ?? "", /checksum differs/);
    assert.doesNotMatch(progress.at(-1)?.error ?? "", /[0-9a-f]{64}/, "no hash of what came back is repeated");
  });

  test("cancel stops the download, removes the partial file and reports cancelled", async () => {
    control.slow = true;
    const target = join(directory, "cancelled.gguf");
    const done = downloader.start("d4", "m4", [{ url: `${baseUrl}/m.gguf`, target }]);
    while (!progress.some((event) => event.receivedBytes > 0)) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(downloader.cancel("d4"), true);
    await assert.rejects(done, { code: "cancelled" });
    assert.equal(existsSync(`${target}.part`), false);
    assert.equal(progress.at(-1)?.status, "cancelled");
    assert.equal(downloader.cancel("d4"), false);
  });

  test("refuses up front when the disk is too full", async () => {
    const tight = new ModelDownloader({ events, freeDiskBytes: async () => 1024 });
    await assert.rejects(
      tight.start("d5", "m5", [{ url: `${baseUrl}/m.gguf`, target: join(directory, "x.gguf"), sizeBytes: 4096 }]),
      (error: unknown) => error instanceof EngramError && error.code === "insufficient_disk",
    );
    assert.deepEqual(control.rangeHeaders, [], "nothing was requested from the server");
  });
});
