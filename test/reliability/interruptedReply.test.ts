/**
 * A reply cut off by a crash keeps what had streamed: its text is saved while it streams, and the next start marks
 * it stopped (kept, once), as if the user had pressed stop. The crash is real: the process is killed with SIGKILL.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Engine } from "../../core/engine.ts";

const child = fileURLToPath(new URL("./fixtures/streamingChild.ts", import.meta.url));

test("a reply half written when the app was killed is kept, marked stopped, and not doubled", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-halfreply-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const process_ = spawn(process.execPath, ["--import", "tsx", child, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => void process_.kill("SIGKILL"));
  let sent: { conversationId: string; assistantMessageId: string } | undefined;
  let streamed = "";
  let pieces = 0;
  for await (const line of createInterface({ input: process_.stdout! })) {
    const event = JSON.parse(line) as { token?: string; sent?: typeof sent };
    if (event.sent) sent = event.sent;
    if (event.token !== undefined) {
      streamed += event.token;
      pieces++;
    }
    // Well past the first save (a second of streaming), and mid-reply.
    if (sent && pieces >= 600) break;
  }
  process_.kill("SIGKILL");
  await once(process_, "exit");
  assert.ok(sent);

  const restarted = await Engine.open({ dataDir, runJobs: false });
  t.after(() => restarted.dispose());
  const { messages } = await restarted.call("messages.list", { conversationId: sent.conversationId });
  const replies = messages.filter((message) => message.role === "assistant");
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.id, sent.assistantMessageId);
  assert.equal(replies[0]!.status, "stopped");
  assert.ok(replies[0]!.content.length > 0, "the streamed text was kept");
  assert.ok(streamed.startsWith(replies[0]!.content), "what is kept is what the user saw stream");
  assert.equal(replies[0]!.error, undefined);
  assert.equal(messages.filter((message) => message.role === "user").length, 1);
});
