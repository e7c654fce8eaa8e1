/**
 * A request body over the limit is answered 413 and the connection closed: the server stops reading instead of
 * taking in (and throwing away) everything a runaway client keeps sending.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { HeadlessServer } from "../../core/server/headlessServer.ts";
import { FakeEngine } from "../server/fakeEngine.ts";

const limit = 64 * 1024;
const chunk = Buffer.alloc(256 * 1024, "x");

/** Streams up to `totalBytes` to the server as fast as it takes them; reports what was written and the status. */
function flood(
  port: number,
  token: string,
  totalBytes: number,
  headers: Record<string, string> = {},
): Promise<{ written: number; status: number | null }> {
  return new Promise((resolve) => {
    let written = 0;
    let status: number | null = null;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve({ written, status });
    };
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/api/chat.send",
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    });
    request.on("response", (response) => {
      status = response.statusCode ?? null;
      response.resume();
      response.on("end", finish);
    });
    // A reset after the reply is the expected end; the status was already read.
    request.on("error", finish);
    request.on("close", finish);
    const pump = () => {
      while (written < totalBytes && !request.destroyed) {
        written += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!request.destroyed) request.end();
    };
    pump();
  });
}

describe("request size limit", () => {
  let server: HeadlessServer;
  before(async () => {
    server = await HeadlessServer.start({ engine: new FakeEngine(), maxBodyBytes: limit });
  });
  after(() => server.close());

  test("a streamed body over the limit gets 413 and the connection ends long before the client is done", async () => {
    const total = 512 * 1024 * 1024;
    const result = await flood(server.port, server.token, total);
    assert.equal(result.status, 413);
    // The server read at most the limit; what the client got written before the close is socket buffers, not 512 MiB.
    assert.ok(result.written < 64 * 1024 * 1024, `the client wrote ${result.written} bytes before the server let go`);
  });

  test("a body a little over the limit is read to its end, so a plain fetch() gets to read the 413", async () => {
    const response = await fetch(`${server.origin}/api/chat.send`, {
      method: "POST",
      headers: { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(limit + 1000) }),
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "payload_too_large");
  });

  test("a declared length far over the limit is answered at once, without waiting for the body", async () => {
    const result = await new Promise<number | null>((resolve, reject) => {
      const request = httpRequest({
        host: "127.0.0.1",
        port: server.port,
        path: "/api/chat.send",
        method: "POST",
        headers: {
          Authorization: `Bearer ${server.token}`,
          "Content-Type": "application/json",
          "Content-Length": String(10 * 1024 * 1024 * 1024),
        },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? null);
        request.destroy();
      });
      request.on("error", reject);
      // Only the headers and a few bytes: a server that waits for the declared 10 GiB would never answer.
      request.write("{");
    });
    assert.equal(result, 413);
  });

  test("the server keeps serving after refusing", async () => {
    const response = await fetch(`${server.origin}/api/conversations.list`, {
      method: "POST",
      headers: { Authorization: `Bearer ${server.token}` },
    });
    assert.equal(response.status, 200);
  });
});
