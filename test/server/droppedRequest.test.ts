/**
 * A client that goes away in the middle of sending a request body (a closed tab, a killed script) is logged in one
 * line, not with a stack, and the server goes on serving.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { HeadlessServer } from "../../core/server/headlessServer.ts";
import { FakeEngine } from "./fakeEngine.ts";

describe("a request dropped mid-body", () => {
  let server: HeadlessServer;
  const logged: string[] = [];
  const originalError = console.error;

  before(async () => {
    server = await HeadlessServer.start({ engine: new FakeEngine(), port: 0 });
    console.error = (...parts: unknown[]) => {
      logged.push(parts.map((part) => (part instanceof Error ? (part.stack ?? part.message) : String(part))).join(" "));
    };
  });

  after(async () => {
    console.error = originalError;
    await server.close();
  });

  test("is logged in one line and the server keeps serving", async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => {
        socket.write(
          [
            "POST /api/memory.search HTTP/1.1",
            `Host: 127.0.0.1:${server.port}`,
            `Authorization: Bearer ${server.token}`,
            "Content-Type: application/json",
            "Content-Length: 1000",
            "",
            '{"query": "half a bo',
          ].join("\r\n"),
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on("error", reject);
    });
    const deadline = Date.now() + 5000;
    while (logged.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(logged.length, 1, `logged: ${JSON.stringify(logged)}`);
    assert.match(logged[0]!, /dropped|closed|aborted/i);
    assert.doesNotMatch(logged[0]!, /\n/, "one line, no stack");

    const response = await fetch(`${server.origin}/api/conversations.list`, {
      method: "POST",
      headers: { Authorization: `Bearer ${server.token}` },
    });
    assert.equal(response.status, 200);
  });
});
