/**
 * Every contract method fuzzed over HTTP with fast-check, inputs derived from the method's own schema (so methods
 * added later are covered without touching this file): wrong types, huge strings, deep nesting, NUL bytes, lone
 * surrogates, __proto__/constructor keys, negative and enormous numbers, unknown ids, and unknown method names.
 * Every refusal is a 4xx envelope with a stable code (its status the one the table gives the code); nothing is a 5xx,
 * a crash or a hang; the server keeps serving; and the data is the same afterwards (full export and stats compared).
 *
 * ENGRAM_FUZZ_RUNS (default 20) sets the cases per method and kind; ENGRAM_SEED the seed.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { errorCodes, methods, type MethodName } from "../../core/api/index.ts";
import { httpStatusOfErrorCode } from "../../core/server/httpStatus.ts";
import { HeadlessProcess, type CallReply } from "./support/headlessProcess.ts";
import { recordResult } from "./support/report.ts";
import {
  hostileText,
  hostileValue,
  inputSchemaOf,
  takesOnlyIds,
  toJsonText,
  validValue,
  withHostileValue,
} from "./support/schemaInputs.ts";

const runs = Number(process.env.ENGRAM_FUZZ_RUNS ?? 20);
const seed = Number(process.env.ENGRAM_SEED ?? 20261201);
/** Methods that only read (by the contract's naming): fuzzed with valid but hostile text too. */
const readsOnly = (name: string) => /\.(list|get|search|history|recent|clients|export)$/.test(name);
/** Longest a single answer may take before the call counts as a hang. */
const hangMs = 30_000;

interface Tally {
  cases: number;
  refused: number;
  answered: number;
  failures: string[];
}

describe("every method fuzzed over HTTP", { timeout: 60 * 60_000 }, () => {
  let dataDir: string;
  let server: HeadlessProcess;
  let before_: Record<string, string>;
  const tally: Tally = { cases: 0, refused: 0, answered: 0, failures: [] };
  const names = Object.keys(methods) as MethodName[];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-fuzz-"));
    server = await HeadlessProcess.start({ dataDir });
    await seedData(server);
    before_ = await snapshot(server);
  });
  after(async () => {
    await server?.stop("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Sends one case and checks the answer against what the schema says of it. */
  async function send(method: string, input: unknown, expect: "refused" | "clean"): Promise<CallReply> {
    const text = toJsonText(input);
    tally.cases++;
    let reply: CallReply;
    try {
      reply = await server.post(method, text, hangMs);
    } catch (error) {
      tally.failures.push(`${method}: no answer (${String(error)}) to ${text.slice(0, 200)}`);
      throw error;
    }
    const { status, body } = reply;
    const describeCase = () =>
      `${method} ${status} ${JSON.stringify(body.error ?? body.data).slice(0, 200)} <- ${text.slice(0, 200)}`;
    if (status >= 500) tally.failures.push(`5xx: ${describeCase()}`);
    if (!body.ok) {
      tally.refused++;
      const code = body.error?.code as (typeof errorCodes)[number];
      if (!errorCodes.includes(code)) tally.failures.push(`unstable code: ${describeCase()}`);
      else if (httpStatusOfErrorCode[code] !== status) tally.failures.push(`status not the code's: ${describeCase()}`);
      if (typeof body.error?.message !== "string" || body.error.message.length === 0) {
        tally.failures.push(`no message: ${describeCase()}`);
      }
    } else {
      tally.answered++;
      if (expect === "refused") tally.failures.push(`accepted bad input: ${describeCase()}`);
    }
    if (status >= 500) throw new Error(describeCase());
    return reply;
  }

  for (const name of Object.keys(methods) as MethodName[]) {
    test(`${name}: refuses every input its schema refuses, with a 4xx and a stable code`, async () => {
      const schema = methods[name].input;
      const jsonSchema = inputSchemaOf(schema);
      const inputs = fc.oneof(withHostileValue(validValue(jsonSchema)), hostileValue);
      await fc.assert(
        fc.asyncProperty(inputs, async (input) => {
          // The server parses the body as JSON, then the schema: the expectation is what that makes of this text.
          let parsed: unknown;
          try {
            parsed = JSON.parse(toJsonText(input));
          } catch {
            parsed = undefined;
          }
          const acceptable = parsed !== undefined && schema.safeParse(parsed ?? {}).success;
          if (acceptable && !readsOnly(name)) return; // valid input to a write: not this test's business
          const reply = await send(name, input, acceptable ? "clean" : "refused");
          if (!acceptable) assert.ok(reply.status >= 400 && reply.status < 500, `${name} ${reply.status}`);
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
    });

    const jsonSchema = inputSchemaOf(methods[name].input);
    if (takesOnlyIds(jsonSchema)) {
      test(`${name}: ids that name nothing get a clean answer and change nothing`, async () => {
        await fc.assert(
          fc.asyncProperty(validValue(jsonSchema), async (input) => {
            if (!methods[name].input.safeParse(input).success) return;
            const reply = await send(name, input, "clean");
            assert.ok(reply.status < 500);
          }),
          { numRuns: Math.max(3, Math.round(runs / 2)), seed, endOnFailure: true },
        );
      });
    }

    if (readsOnly(name)) {
      test(`${name}: valid input with hostile text (NUL, lone surrogates, query syntax) answers cleanly`, async () => {
        await fc.assert(
          fc.asyncProperty(validValue(jsonSchema, "", hostileText), async (input) => {
            if (!methods[name].input.safeParse(input).success) return;
            await send(name, input, "clean");
          }),
          { numRuns: Math.max(3, Math.round(runs / 2)), seed, endOnFailure: true },
        );
      });
    }
  }

  test("unknown and malformed method names are 404 unknown_method", async () => {
    const candidates = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "conversations.list.x", "%00", "..%2f"),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (method) => {
        if (Object.hasOwn(methods, decodeURIComponentSafe(method))) return;
        const reply = await send(method, {}, "refused");
        assert.ok(reply.status === 404 || reply.status === 400, `${method}: ${reply.status}`);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  });

  test("afterwards: the server still serves, nothing was accepted wrongly, and the data is unchanged", async () => {
    assert.ok(server.alive, "the server is still running");
    const stats = await server.call("stats.get");
    assert.equal(stats.status, 200);
    const now = await snapshot(server);
    const report = {
      suite: "fuzz",
      methods: names.length,
      cases: tally.cases,
      refused: tally.refused,
      answered: tally.answered,
      failures: tally.failures.length,
      failureExamples: tally.failures.slice(0, 5),
      dataChanged: differences(before_, now),
    };
    recordResult(report);
    assert.deepEqual(tally.failures, []);
    assert.deepEqual(differences(before_, now), [], "the export and the stats are the same as before fuzzing");
  });
});

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Some of everything, so unknown ids miss real data and a damaging call would show in the export. */
async function seedData(server: HeadlessProcess): Promise<void> {
  const { conversationId } = await server.data<{ conversationId: string }>("memory.ingest", {
    turns: [
      { speaker: "user", text: "My sister Ana lives in Lisbon and works at the Gulbenkian." },
      { speaker: "assistant", text: "Noted: Ana, Lisbon, the Gulbenkian." },
    ],
  });
  await server.data("conversations.create", { title: "Second" });
  await server.call("chat.send", { conversationId, text: "Where does Ana live?" });
  await server.data("facts.create", {
    subject: "Ana",
    predicate: "lives in",
    object: "Lisbon",
    statement: "Ana lives in Lisbon.",
  });
  await server.data("conversations.import", {
    source: "jsonl",
    content: '{"speaker":"user","text":"Imported turn one."}\n{"speaker":"assistant","text":"And two."}',
  });
  // Let background work (entities, a failed reply) settle, so the snapshot is of data at rest.
  let previous = -1;
  for (let tries = 0; tries < 60; tries++) {
    const { pendingJobs } = await server.data<{ pendingJobs: number }>("stats.get");
    if (pendingJobs === previous) break;
    previous = pendingJobs;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Everything stored, one text per part: each table of the full JSON export, the settings, and the counts. */
async function snapshot(server: HeadlessProcess): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  if (Object.hasOwn(methods, "memory.export")) {
    const { content } = await server.data<{ content: string }>("memory.export", { format: "json" });
    const exported = JSON.parse(content) as { tables?: Record<string, unknown>; [key: string]: unknown };
    delete exported.exportedAt;
    for (const [name, rows] of Object.entries(exported.tables ?? {})) parts[`table ${name}`] = JSON.stringify(rows);
    delete exported.tables;
    parts.export = JSON.stringify(exported);
  }
  const stats = await server.data<Record<string, unknown>>("stats.get");
  delete stats.totalMemoryBytes;
  parts.stats = JSON.stringify(stats);
  return parts;
}

/** Names of the parts that differ, with the start of each difference. */
function differences(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => before[name] !== after[name])
    .map((name) => {
      const [a = "", b = ""] = [before[name], after[name]];
      let index = 0;
      while (index < a.length && a[index] === b[index]) index++;
      return `${name}: before …${a.slice(index, index + 120)}… after …${b.slice(index, index + 120)}…`;
    });
}
