/**
 * The static side of the headless server under paths a file system refuses: too long, a loop of links, a segment
 * past NAME_MAX. Each answers 400 or 404 with a body that names no folder, and a failure is logged once, briefly.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HeadlessServer } from "../../core/server/headlessServer.ts";
import { lookupStaticFile } from "../../core/server/staticFiles.ts";
import { FakeEngine } from "../server/fakeEngine.ts";
import { rawRequest } from "../server/httpClient.ts";

describe("static files: failures answer 400/404 without paths", () => {
  let rendererDir: string;
  let server: HeadlessServer;

  before(async () => {
    rendererDir = await mkdtemp(join(tmpdir(), "engram-static-"));
    await mkdir(join(rendererDir, "assets"));
    await writeFile(join(rendererDir, "index.html"), "<!doctype html>");
    // A link to itself: realpath fails with ELOOP, an error Node reports with the full path in its message.
    await symlink(join(rendererDir, "assets", "loop.js"), join(rendererDir, "assets", "loop.js"));
    server = await HeadlessServer.start({ engine: new FakeEngine(), rendererDir });
  });
  after(async () => {
    await server.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  test("a 300-character path is 400, and neither body nor log names the install folder", async (t) => {
    const logged = t.mock.method(console, "error", () => undefined);
    for (const path of [`/${"a".repeat(300)}`, `/assets/${"b".repeat(300)}.js`, `/${"c/".repeat(600)}x`]) {
      const response = await rawRequest(server.port, path);
      assert.ok(response.status === 400 || response.status === 404, `${path.slice(0, 20)} answered ${response.status}`);
      assert.ok(!response.text.includes(rendererDir), response.text);
      assert.ok(!response.text.includes(tmpdir()), response.text);
    }
    const lines = logged.mock.calls.map((call) => call.arguments.map(String).join(" "));
    assert.ok(!lines.some((line) => line.includes(rendererDir)), lines.join("\n"));
  });

  test("an unreadable file is 404, logged once in one short line without its path", async (t) => {
    const logged = t.mock.method(console, "error", () => undefined);
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await rawRequest(server.port, "/assets/loop.js");
      assert.equal(response.status, 404);
      assert.ok(!response.text.includes(rendererDir), response.text);
    }
    assert.equal(logged.mock.callCount(), 1);
    const line = logged.mock.calls[0]!.arguments.map(String).join(" ");
    assert.ok(!line.includes(rendererDir), line);
    assert.ok(!line.includes("\n"), line);
    assert.match(line, /ELOOP/);
  });

  test("lookup never throws on what a file system refuses", async () => {
    for (const path of [`/${"d".repeat(5000)}`, "/%E0%A4%A", "/assets/loop.js", `/${"e".repeat(256)}/x`]) {
      const found = await lookupStaticFile(rendererDir, path);
      assert.notEqual(found.kind, "file", path.slice(0, 20));
      if (found.kind === "refused" || found.kind === "malformed") assert.ok(!found.reason.includes(rendererDir));
    }
  });
});
