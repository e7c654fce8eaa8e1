import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HeadlessServer } from "../../core/server/headlessServer.ts";
import { FakeEngine } from "./fakeEngine.ts";
import { rawRequest } from "./httpClient.ts";

describe("headless server over real HTTP", () => {
  let engine: FakeEngine;
  let server: HeadlessServer;
  let rendererDir: string;
  let auth: Record<string, string>;

  before(async () => {
    rendererDir = await mkdtemp(join(tmpdir(), "engram-renderer-"));
    await mkdir(join(rendererDir, "assets"));
    await writeFile(join(rendererDir, "index.html"), "<!doctype html><title>Engram</title>");
    await writeFile(join(rendererDir, "assets", "app-1234.js"), "console.log('app');");
    await writeFile(join(rendererDir, "..", "engram-secret.txt"), "secret");
    engine = new FakeEngine();
    server = await HeadlessServer.start({ engine, rendererDir, maxBodyBytes: 64 * 1024 });
    auth = { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" };
  });

  after(async () => {
    await server.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  const post = (method: string, body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${server.origin}/api/${method}`, { method: "POST", headers, body: JSON.stringify(body) });

  test("the URL carries a random token in the fragment and binds 127.0.0.1", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const other = await HeadlessServer.start({ engine });
    assert.notEqual(other.token, server.token);
    await other.close();
  });

  test("a valid call answers 200 with the ok envelope", async () => {
    const created = await post("conversations.create", { title: "Trip" });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get("cache-control"), "no-store");
    const body = (await created.json()) as { ok: true; data: { id: string; title: string } };
    assert.equal(body.ok, true);
    assert.equal(body.data.title, "Trip");
    const listed = (await (await post("conversations.list", {})).json()) as { data: { conversations: unknown[] } };
    assert.ok(listed.data.conversations.some((conversation) => (conversation as { id: string }).id === body.data.id));
  });

  test("an empty body is the empty input", async () => {
    const response = await fetch(`${server.origin}/api/conversations.list`, {
      method: "POST",
      headers: { Authorization: auth.Authorization! },
    });
    assert.equal(response.status, 200);
  });

  test("a missing or wrong token is refused with 401 and the engine is never called", async () => {
    const before = engine.calls.length;
    const missing = await post("conversations.list", {}, { "Content-Type": "application/json" });
    assert.equal(missing.status, 401);
    assert.deepEqual(((await missing.json()) as { error: { code: string } }).error.code, "unauthorized");
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer/);
    const wrong = await post("conversations.list", {}, { Authorization: `Bearer ${"x".repeat(43)}` });
    assert.equal(wrong.status, 401);
    const events = await rawRequest(server.port, "/api/events", { headers: { Host: `127.0.0.1:${server.port}` } });
    assert.equal(events.status, 401);
    const tokenInQuery = await rawRequest(server.port, `/api/events?token=${server.token}`);
    assert.equal(tokenInQuery.status, 401, "the token is accepted only in the Authorization header");
    assert.equal(engine.calls.length, before);
  });

  test("a foreign Host (DNS rebinding) is refused with 403", async () => {
    for (const host of ["evil.example:" + server.port, `127.0.0.1:${server.port + 1}`, "127.0.0.1"]) {
      const response = await rawRequest(server.port, "/api/conversations.list", {
        method: "POST",
        headers: { ...auth, Host: host },
      });
      assert.equal(response.status, 403, host);
      assert.equal((response.json() as { error: { code: string } }).error.code, "forbidden");
    }
    const page = await rawRequest(server.port, "/", { headers: { Host: "rebind.example" } });
    assert.equal(page.status, 403);
    const localhost = await rawRequest(server.port, "/", { headers: { Host: `localhost:${server.port}` } });
    assert.equal(localhost.status, 200);
  });

  test("a foreign Origin is refused with 403, the own origin is accepted", async () => {
    const foreign = await post("conversations.list", {}, { ...auth, Origin: "https://evil.example" });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, "forbidden");
    const nullOrigin = await post("conversations.list", {}, { ...auth, Origin: "null" });
    assert.equal(nullOrigin.status, 403);
    const own = await post("conversations.list", {}, { ...auth, Origin: server.origin });
    assert.equal(own.status, 200);
  });

  test("input failing the schema is 400 bad_input naming the field", async () => {
    const response = await post("conversations.create", { title: 42 });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { ok: false; error: { code: string; message: string } };
    assert.equal(body.ok, false);
    assert.equal(body.error.code, "bad_input");
    assert.match(body.error.message, /title/);
  });

  test("malformed JSON and a non-JSON content type are bad_input", async () => {
    const malformed = await fetch(`${server.origin}/api/conversations.list`, {
      method: "POST",
      headers: auth,
      body: "{not json",
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, "bad_input");
    const form = await post("conversations.list", {}, { ...auth, "Content-Type": "text/plain" });
    assert.equal(form.status, 415);
  });

  test("an unknown method is 404 unknown_method; a GET on a method is 405", async () => {
    const unknown = await post("memories.steal", {});
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "unknown_method");
    const get = await fetch(`${server.origin}/api/conversations.list`, { headers: auth });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
  });

  test("a missing entity is 404 not_found", async () => {
    const response = await post("messages.list", { conversationId: "nope" });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "not_found");
  });

  test("a body over the limit is 413 payload_too_large, declared or streamed", async () => {
    const big = JSON.stringify({ text: "x".repeat(100 * 1024) });
    const declared = await fetch(`${server.origin}/api/chat.send`, { method: "POST", headers: auth, body: big });
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { error: { code: string } }).error.code, "payload_too_large");
    const chunked = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port: server.port, path: "/api/chat.send", method: "POST", headers: auth },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      for (let index = 0; index < 10; index++) request.write("x".repeat(10 * 1024));
      request.end();
    });
    assert.equal(chunked, 413);
  });

  test("the event stream forwards engine events as server-sent events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/api/events`, { headers: auth, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    assert.match(received, /^: connected/);
    const sent = (await (await post("chat.send", { text: "hello" })).json()) as {
      data: { assistantMessageId: string };
    };
    while (!received.includes("event: chat.done")) received += decoder.decode((await reader.read()).value);
    const block = received.slice(received.indexOf("event: chat.done")).split("\n\n")[0]!;
    const data = JSON.parse(block.split("\n")[1]!.replace(/^data: /, "")) as {
      assistantMessageId: string;
      error: { code: string };
    };
    assert.equal(data.assistantMessageId, sent.data.assistantMessageId);
    assert.equal(data.error.code, "no_model");
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });

  test("the renderer is served with a strict CSP and safe headers", async () => {
    const page = await fetch(`${server.origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(eval|inline)/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    const asset = await fetch(`${server.origin}/assets/app-1234.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${server.origin}/nothing-here.js`)).status, 404);
    assert.equal((await fetch(`${server.origin}/`, { method: "POST" })).status, 405);
  });

  test("path traversal is refused", async () => {
    await symlink(join(rendererDir, "..", "engram-secret.txt"), join(rendererDir, "link.txt")).catch(() => undefined);
    const attempts = [
      "/../engram-secret.txt",
      "/assets/../../engram-secret.txt",
      "/%2e%2e/engram-secret.txt",
      "/assets%2f..%2f..%2fengram-secret.txt",
      "/..%5cengram-secret.txt",
      "/link.txt",
      "/%00index.html",
    ];
    for (const path of attempts) {
      const response = await rawRequest(server.port, path);
      assert.ok(response.status === 403 || response.status === 404, `${path} answered ${response.status}`);
      assert.doesNotMatch(response.text, /secret/, path);
    }
  });

  test("closing ends open event streams and refuses new connections", async () => {
    const local = await HeadlessServer.start({ engine: new FakeEngine() });
    const headers = { Authorization: `Bearer ${local.token}` };
    const response = await fetch(`${local.origin}/api/events`, { headers });
    const reader = response.body!.getReader();
    await reader.read();
    assert.equal(local.eventStreamCount, 1);
    await local.close();
    for (;;) if ((await reader.read()).done) break;
    await assert.rejects(fetch(`${local.origin}/api/conversations.list`, { method: "POST", headers }));
  });
});
