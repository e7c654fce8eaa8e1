/**
 * Fact extraction end to end on real GGUF models: the generated tiny model (random weights, a real tokenizer and
 * chat template) and, when ../shared has it, stories260K. Neither knows any fact; what is checked is that whatever
 * they say comes back through the grammar as JSON of the fact schema, and that the job consolidates it into memory
 * without failing.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { factSchema } from "../../core/memory/semantic/factExtraction.ts";
import { ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { startHost, type HostHarness } from "./fixtures/hostHarness.ts";
import { schemaViolations } from "./fixtures/jsonSchemaCheck.ts";
import { realModels, recordingJson } from "./fixtures/realModels.ts";

for (const fixture of realModels) {
  describe(`fact extraction on ${fixture.name}`, { skip: fixture.skip }, () => {
    let host: HostHarness;
    before(async () => {
      host = await startHost(fixture.path(), { contextSize: fixture.contextSize });
    });
    after(async () => {
      await host?.dispose();
    });

    test("the model's answer parses as the fact schema and the job consolidates it", async (t) => {
      const { model, calls } = recordingJson(host.model, "facts");
      const answers = calls.answers;
      const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
      await engine.call("memory.ingest", {
        turns: [{ speaker: "user", text: "I moved to Porto last March and I work at the harbour museum." }],
      });
      await engine.drainJobs();
      assert.equal(answers.length, 1, "one call for the one turn");
      assert.deepEqual(schemaViolations(answers[0], factSchema), []);
      // Whatever came out, memory is consistent: no job left failing, every fact has all its parts.
      assert.equal((await engine.call("stats.get", {})).pendingJobs, 0);
      const { facts } = await engine.call("facts.list", { status: "all" });
      for (const fact of facts) {
        assert.ok(fact.subject && fact.predicate && fact.object && fact.statement, JSON.stringify(fact));
      }
    });
  });
}
