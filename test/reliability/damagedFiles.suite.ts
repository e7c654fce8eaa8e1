/**
 * Damaged files, refused with a clear error and nothing changed: GGUF models cut short or with a broken header
 * (imported, or given to `serve --model`), an embedder whose weights or tokenizer are cut short, and Engram exports
 * and outside exports (ChatGPT, Claude, JSONL) cut at many points, sent inline and by path.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chatGptExport, claudeExport } from "../transfer/exportFixtures.ts";
import { tinyChatModel } from "./support/chatModelFixture.ts";
import { EventRecorder } from "./support/eventStream.ts";
import { HeadlessProcess, repositoryRoot } from "./support/headlessProcess.ts";
import { recordResult } from "./support/report.ts";

const model = tinyChatModel();
const sharedTokenizer = join(repositoryRoot, "..", "shared", "models", "all-MiniLM-L6-v2-tokenizer");
/** Where each file is cut: a sample of the whole length, the very start and the very end included. */
const cutShares = [0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97, 0.999];

describe("damaged files are refused with a clear error", { timeout: 30 * 60_000 }, () => {
  let scratch: string;
  let dataDir: string;
  let server: HeadlessProcess;
  let events: EventRecorder;
  let refused = 0;
  const summary: string[] = [];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "engram-damaged-"));
    dataDir = join(scratch, "data");
    await mkdir(join(dataDir, "models"), { recursive: true });
    // Two embedders the user has (as a download would have left them), each damaged in its own way.
    const brokenWeights = join(dataDir, "models", "broken-weights");
    const brokenTokenizer = join(dataDir, "models", "broken-tokenizer");
    for (const folder of [brokenWeights, brokenTokenizer]) {
      if (existsSync(sharedTokenizer)) await cp(sharedTokenizer, folder, { recursive: true });
      else {
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 384 }));
        await writeFile(
          join(folder, "tokenizer.json"),
          JSON.stringify({ version: "1.0", model: { type: "WordPiece", vocab: { "[UNK]": 0 } } }),
        );
      }
      await mkdir(join(folder, "onnx"), { recursive: true });
      // ONNX protobuf bytes cut off after the header: what a download stopped half way leaves.
      await writeFile(
        join(folder, "onnx", "model_quantized.onnx"),
        Buffer.from([0x08, 0x07, 0x12, 0x07, 0x70, 0x79, 0x74]),
      );
    }
    const tokenizer = await readFile(join(brokenTokenizer, "tokenizer.json"), "utf8");
    await writeFile(join(brokenTokenizer, "tokenizer.json"), tokenizer.slice(0, Math.floor(tokenizer.length / 3)));
    const installed = (id: string, path: string) => ({
      id,
      name: id,
      kind: "embedding",
      path,
      sizeBytes: 1000,
      source: "catalog",
      installedAt: new Date().toISOString(),
    });
    await writeFile(
      join(dataDir, "models", "manifest.json"),
      JSON.stringify({
        version: 1,
        models: [installed("broken-weights", brokenWeights), installed("broken-tokenizer", brokenTokenizer)],
      }),
    );
    server = await HeadlessProcess.start({ dataDir });
    events = await EventRecorder.open(server);
    await server.data("memory.ingest", { turns: [{ speaker: "user", text: "My locker is number 214 at the pool." }] });
    // The background work of that turn (entities) finishes first, so what is compared later is data at rest.
    for (let previous = -1, tries = 0; tries < 60; tries++) {
      const { pendingJobs } = await server.data<{ pendingJobs: number }>("stats.get");
      if (pendingJobs === previous) break;
      previous = pendingJobs;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
  after(async () => {
    await events?.close();
    await server?.stop("SIGKILL");
    await rm(scratch, { recursive: true, force: true });
    recordResult({ suite: "files", refused, summary: `${summary.join("; ")} (${refused} refusals)` });
  });

  const state = async () => {
    const { content } = await server.data<{ content: string }>("memory.export", { format: "json" });
    const parsed = JSON.parse(content) as Record<string, unknown>;
    delete parsed.exportedAt;
    return JSON.stringify([parsed, await server.data("models.list")]);
  };

  test("a GGUF cut short, with a broken header, empty or not a GGUF at all is refused by models.import", async (t) => {
    if (!model.path) return t.skip(model.why);
    const good = await readFile(model.path);
    const before = await state();
    const damaged: [string, Buffer][] = [
      ["empty", Buffer.alloc(0)],
      ["text", Buffer.from("This is not a model, just a note named .gguf\n")],
      ["bad magic", Buffer.concat([Buffer.from("GGUX"), good.subarray(4)])],
      ["bad version", Buffer.concat([good.subarray(0, 4), Buffer.from([0xff, 0xff, 0xff, 0x7f]), good.subarray(8)])],
      [
        "huge counts",
        Buffer.concat([
          good.subarray(0, 8),
          Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
          good.subarray(16),
        ]),
      ],
      ...cutShares.map((share): [string, Buffer] => [
        `cut at ${share * 100}%`,
        good.subarray(0, Math.floor(good.length * share)),
      ]),
    ];
    for (const [label, bytes] of damaged) {
      const path = join(scratch, `${label.replace(/\W+/g, "-")}.gguf`);
      await writeFile(path, bytes);
      const reply = await server.call("models.import", { path });
      assert.ok(reply.status >= 400 && reply.status < 500, `${label}: ${reply.status} ${JSON.stringify(reply.body)}`);
      assert.ok(reply.body.error!.message.length > 10, label);
      refused++;
    }
    assert.equal(await state(), before, "nothing was installed");
    assert.ok(server.alive);
    summary.push(`${damaged.length} damaged GGUFs refused by models.import`);
  });

  test("serve --model with a GGUF cut short stops at once with a clear message (exit 2)", async (t) => {
    if (!model.path) return t.skip(model.why);
    const good = await readFile(model.path);
    const path = join(scratch, "half.gguf");
    await writeFile(path, good.subarray(0, Math.floor(good.length / 2)));
    const child = HeadlessProcess.spawn({ dataDir: join(scratch, "other-data"), modelFile: path });
    const output = HeadlessProcess.capture(child);
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 2, output.stderr);
    assert.match(output.stderr, /half\.gguf/);
    assert.doesNotMatch(output.stderr, /\n\s+at /, "no stack trace");
    refused++;
    summary.push("serve --model with a cut GGUF exits 2");
  });

  test("an embedder whose weights or tokenizer are cut short is refused with a message; memory still answers", async () => {
    for (const id of ["broken-weights", "broken-tokenizer"]) {
      const from = events.events.length;
      const reply = await server.call("settings.update", { embedderId: id });
      assert.ok(reply.status < 500, `${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
      // Refused on the spot (the choice is not saved), or taken and then reported as failing to load.
      const told = reply.body.ok
        ? (
            (
              await events.waitFor(
                (event) =>
                  events.events.indexOf(event) >= from &&
                  event.name === "models.status" &&
                  typeof (event.payload as { message?: string }).message === "string",
              )
            ).payload as { message: string }
          ).message
        : reply.body.error!.message;
      assert.match(told, new RegExp(`embedder ${id}`), told);
      if (!reply.body.ok) {
        assert.equal(reply.body.error?.code, "model_load_failed");
        assert.equal((await server.data<{ embedderId?: string }>("settings.get")).embedderId, undefined);
      }
      const stats = await server.data<{ embedder: string | null }>("stats.get");
      assert.equal(stats.embedder, null, "no broken embedder is used");
      const hits = await server.data<{ hits: unknown[] }>("memory.search", { query: "locker pool" });
      assert.equal(hits.hits.length, 1, "recall goes on, lexically");
      refused++;
    }
    assert.ok(server.alive);
    summary.push("2 damaged embedders refused, recall stays lexical");
  });

  test("an Engram export cut short anywhere is refused by memory.import, changing nothing", async () => {
    const { content } = await server.data<{ content: string }>("memory.export", { format: "json" });
    const before = await state();
    for (const share of cutShares) {
      const cut = content.slice(0, Math.floor(content.length * share));
      const reply = await server.call("memory.import", { content: cut });
      assert.equal(reply.status, 400, `cut at ${share}: ${reply.status} ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error?.code, "bad_input");
      refused++;
    }
    assert.equal(await state(), before);
    summary.push(`${cutShares.length} cut Engram exports refused`);
  });

  test("ChatGPT, Claude and JSONL exports cut short anywhere are refused whole, inline and by path", async () => {
    const files: [string, string][] = [
      ["chatgpt", JSON.stringify(chatGptExport())],
      ["claude", JSON.stringify(claudeExport())],
      [
        "jsonl",
        Array.from({ length: 40 }, (_, index) =>
          JSON.stringify({ speaker: index % 2 ? "assistant" : "user", text: `Line ${index} of a long transcript.` }),
        ).join("\n"),
      ],
    ];
    const before = await state();
    let count = 0;
    for (const [source, whole] of files) {
      for (const share of cutShares) {
        const cut = whole.slice(0, Math.floor(whole.length * share));
        // A JSONL file cut exactly at a line end is a shorter, valid file: only cuts inside a line are damage.
        if (source === "jsonl" && (cut.endsWith("}") || cut.endsWith("\n") || cut.length === 0)) continue;
        const inline = await server.call("conversations.import", { source, content: cut });
        assert.equal(inline.status, 400, `${source} cut at ${share}: ${inline.status} ${JSON.stringify(inline.body)}`);
        const path = join(scratch, `cut-${source}-${share}.json`);
        await writeFile(path, cut);
        const byPath = await server.call("conversations.importFile", { source, path });
        assert.equal(
          byPath.status,
          400,
          `${source} file cut at ${share}: ${byPath.status} ${JSON.stringify(byPath.body)}`,
        );
        refused += 2;
        count += 2;
      }
    }
    assert.equal(await state(), before, "nothing of a refused file was written");
    summary.push(`${count} cut outside exports refused`);
  });
});
