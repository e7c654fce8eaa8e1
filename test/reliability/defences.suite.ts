/**
 * Nobody let in, on the real server process: it listens on loopback only, every method and the event stream need
 * the token (no other way of passing it works), foreign Host and Origin headers are refused (DNS rebinding, other
 * pages), bodies over the limit are refused, static serving cannot be walked out of, and after a session full of
 * refusals the token appears nowhere but the one listening line.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { methods } from "../../core/api/index.ts";
import { rawRequest } from "../server/httpClient.ts";
import { HeadlessProcess, repositoryRoot } from "./support/headlessProcess.ts";
import { recordResult } from "./support/report.ts";

describe("the headless server lets nobody in", { timeout: 20 * 60_000 }, () => {
  let dataDir: string;
  let server: HeadlessProcess;
  let port: number;
  let refused = 0;
  const checks: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-defences-"));
    server = await HeadlessProcess.start({ dataDir });
    port = Number(new URL(server.origin).port);
  });
  after(async () => {
    await server?.stop("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
    recordResult({ suite: "defences", refused, summary: `${checks.join(", ")}; ${refused} requests refused` });
  });

  test("it listens on 127.0.0.1 only: other addresses of this machine refuse the connection", async () => {
    const tcp = await readFile("/proc/net/tcp", "utf8").catch(() => "");
    if (tcp) {
      const hex = port.toString(16).toUpperCase().padStart(4, "0");
      const listening = tcp.split("\n").filter((line) => line.includes(`:${hex} `) && / 0A /.test(line));
      assert.ok(listening.length > 0, "the port is listening");
      for (const line of listening) assert.match(line.trim().split(/\s+/)[1]!, /^0100007F:/, line);
    }
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && address.family === "IPv4" && !address.internal)
      .map((address) => address!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port, timeout: 3000 });
        socket.once("connect", () => (socket.destroy(), resolve("connected")));
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
        socket.once("timeout", () => (socket.destroy(), resolve("timeout")));
      });
      assert.notEqual(outcome, "connected", `reachable on ${address}`);
    }
    checks.push(`loopback only (${others.length} other addresses refused)`);
  });

  test("every method and the event stream refuse a missing, wrong or misplaced token with 401", async () => {
    const wrong = server.token.replace(/^./, (first) => (first === "A" ? "B" : "A"));
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: `Bearer ${wrong}` },
      { Authorization: `Bearer ${server.token.slice(0, -1)}` },
      { Authorization: `Bearer ${server.token}x` },
      { Authorization: `bearer  ${server.token.toUpperCase()}` },
      { Authorization: `Basic ${Buffer.from(`engram:${server.token}`).toString("base64")}` },
      { Authorization: server.token },
      { Cookie: `token=${server.token}` },
      { "X-Token": server.token },
    ];
    for (const method of [...Object.keys(methods), "events"]) {
      for (const headers of attempts) {
        const response = await rawRequest(port, `/api/${method}?token=${server.token}`, {
          method: method === "events" ? "GET" : "POST",
          headers: { Host: `127.0.0.1:${port}`, "Content-Type": "application/json", ...headers },
          body: method === "events" ? undefined : "{}",
        });
        assert.equal(response.status, 401, `${method} with ${JSON.stringify(headers)}`);
        assert.equal((response.json() as { error: { code: string } }).error.code, "unauthorized");
        refused++;
      }
    }
    checks.push("token required on every method and the event stream");
  });

  test("a foreign Host or Origin is refused with 403, token or not", async () => {
    const auth = { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" };
    const foreign: Record<string, string>[] = [
      { Host: "evil.example" },
      { Host: `evil.example:${port}` },
      { Host: `127.0.0.1:${port + 1}` },
      { Host: `127.0.0.1.evil.example:${port}` },
      { Host: `127.0.0.1:${port}`, Origin: "http://evil.example" },
      { Host: `127.0.0.1:${port}`, Origin: "null" },
      { Host: `127.0.0.1:${port}`, Origin: `https://127.0.0.1:${port}` },
      { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}.evil.example` },
    ];
    for (const headers of foreign) {
      for (const path of ["/api/stats.get", "/", "/index.html"]) {
        const response = await rawRequest(port, path, {
          method: path.startsWith("/api") ? "POST" : "GET",
          headers: { ...auth, ...headers },
          body: path.startsWith("/api") ? "{}" : undefined,
        });
        assert.equal(response.status, 403, `${path} with ${JSON.stringify(headers)}`);
        assert.ok(!response.text.includes('"ok":true'), "nothing is answered");
        refused++;
      }
    }
    checks.push("foreign Host/Origin refused");
  });

  test("a body over 8 MiB is refused with 413", async () => {
    const response = await fetch(`${server.origin}/api/memory.ingest`, {
      method: "POST",
      headers: { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ turns: [{ speaker: "user", text: "x".repeat(9 * 2 ** 20) }] }),
    });
    assert.equal(response.status, 413);
    refused++;
    checks.push("size limit");
  });

  test("static serving cannot be walked out of, whatever the encoding", async () => {
    const secrets = [
      await readFile("/etc/passwd", "utf8").catch(() => "root:x:0:0"),
      await readFile(join(repositoryRoot, "package.json"), "utf8"),
    ];
    const paths = [
      "/../package.json",
      "/../../package.json",
      "/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
      "/%252e%252e/package.json",
      "/..\\..\\package.json",
      "/assets/../../../package.json",
      "/....//....//package.json",
      "/%c0%ae%c0%ae/package.json",
      "/../../../../../../etc/passwd",
      "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "//etc/passwd",
      "/etc/passwd%00.html",
      `/${"a".repeat(300)}`,
      "/.env",
      "/.git/config",
    ];
    for (const path of paths) {
      const response = await rawRequest(port, path, { headers: { Host: `127.0.0.1:${port}` } });
      assert.ok([400, 403, 404].includes(response.status), `${path}: ${response.status}`);
      for (const secret of secrets) assert.ok(!response.text.includes(secret.slice(0, 40)), `${path} leaked a file`);
      assert.ok(!response.text.includes(repositoryRoot), `${path} named the install folder`);
      refused++;
    }
    checks.push(`${paths.length} traversal attempts refused`);
  });

  test("after all that, the token is in no log: only in the one listening line", async () => {
    assert.ok(server.alive);
    assert.ok(!server.stderr.includes(server.token), "stderr names the token");
    const lines = server.stdout.split("\n").filter(Boolean);
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.startsWith("Engram listening on "));
    checks.push("no token in logs");
  });
});
