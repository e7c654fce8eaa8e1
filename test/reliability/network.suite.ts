/**
 * No telemetry, no traffic outside explicit downloads: a whole session on the real server (ingest, search, chat on the
 * tiny GGUF, the background jobs it sets off, summaries, facts, the graph, export in both formats, an import, settings,
 * the model list, the renderer's page) runs with every outbound connection refused and recorded, in the server and in
 * its model host alike. None may be attempted. One explicit download at the end proves the guard was watching.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { tinyChatModel } from "./support/chatModelFixture.ts";
import { HeadlessProcess } from "./support/headlessProcess.ts";
import { recordResult } from "./support/report.ts";

const guard = fileURLToPath(new URL("../model/fixtures/networkGuard.ts", import.meta.url));
const model = tinyChatModel();

describe("a whole session with the network refused", { timeout: 30 * 60_000 }, () => {
  let dataDir: string;
  let networkLog: string;
  let server: HeadlessProcess;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-offline-"));
    networkLog = join(dataDir, "..", `${dataDir.split("/").pop()}-network.log`);
    await writeFile(networkLog, "");
    server = await HeadlessProcess.start({
      dataDir,
      ...(model.path ? { modelFile: model.path } : {}),
      // NODE_OPTIONS reaches the model host too: it is forked with the server's environment.
      env: {
        NODE_OPTIONS: `--import tsx --import ${guard}`,
        ENGRAM_NETWORK_GUARD: "1",
        ENGRAM_NETWORK_LOG: networkLog,
      },
    });
  });
  after(async () => {
    await server?.stop("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
    await rm(networkLog, { force: true });
  });

  const attempts = async () => (await readFile(networkLog, "utf8")).split("\n").filter(Boolean);

  test("chat, ingest, search, jobs, export, import and settings attempt no outbound connection", async (t) => {
    if (!model.path) t.diagnostic(`no chat in this session: ${model.why}`);
    const { conversationId } = await server.data<{ conversationId: string }>("memory.ingest", {
      turns: [
        { speaker: "user", text: "My brother Tomás moved to Porto in March and works at a bakery." },
        { speaker: "assistant", text: "Tomás, Porto, a bakery: noted." },
      ],
    });
    await server.data("memory.search", { query: "Where does Tomás work?" });
    if (model.path) {
      await server.data("chat.send", { conversationId, text: "Where did my brother move?" });
      // Wait for the reply and the background jobs (summary, entities, facts) it and the ingest set off.
      for (let waited = 0; waited < 240_000; waited += 1000) {
        const { pendingJobs } = await server.data<{ pendingJobs: number }>("stats.get");
        const { messages } = await server.data<{ messages: { status: string }[] }>("messages.list", { conversationId });
        if (
          pendingJobs === 0 &&
          messages.every((message) => message.status !== "pending" && message.status !== "streaming")
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    for (const [method, input] of [
      ["summaries.get", { conversationId }],
      ["facts.list", {}],
      ["entities.list", {}],
      ["graph.get", {}],
      ["memory.export", { format: "json" }],
      ["memory.export", { format: "markdown" }],
      ["conversations.import", { source: "jsonl", content: '{"speaker":"user","text":"An imported line."}' }],
      ["settings.update", { systemPrompt: "Be brief." }],
      ["models.list", {}],
      ["stats.get", {}],
    ] as const) {
      const reply = await server.call(method, input);
      assert.ok(reply.status < 500, `${method}: ${reply.status} ${JSON.stringify(reply.body.error)}`);
    }
    const page = await fetch(`${server.origin}/`);
    await page.text();
    assert.deepEqual(await attempts(), [], "no outbound connection was attempted");
  });

  test("the guard was watching: an explicit download is the one attempt, and it is refused", async () => {
    const reply = await server.call("models.download", {
      url: "https://models.example.org/tiny.gguf",
      name: "A download the user asked for",
    });
    // The download runs in the background; its attempt reaches the guard within moments.
    for (let waited = 0; waited < 30_000 && (await attempts()).length === 0; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seen = await attempts();
    recordResult({
      suite: "network",
      summary: `a whole session (chat ${model.path ? "on the tiny GGUF" : "skipped"}, ingest, search, jobs, export, import) attempted 0 outbound connections; the explicit download was the only one (${seen.length})`,
    });
    assert.ok(reply.status < 500);
    assert.ok(seen.length > 0, "the explicit download reached the guard");
    assert.ok(
      seen.every((line) => line.includes("models.example.org")),
      seen.join("\n"),
    );
  });
});
