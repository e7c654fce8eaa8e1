/**
 * The compact memory's summaries end to end on real GGUF models that ramble (see fixtures/realModels.ts). A summary
 * reply that runs on past its token limit used to fail the job ("cut off at 200 tokens"), so a conversation with a
 * small model kept no summary; the grammar now bounds the summary's length, so every reply closes in time.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { summarySchema } from "../../core/memory/compactMemory.ts";
import { ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { startHost, type HostHarness } from "./fixtures/hostHarness.ts";
import { schemaViolations } from "./fixtures/jsonSchemaCheck.ts";
import { realModels, recordingJson } from "./fixtures/realModels.ts";

const turns = [
  { speaker: "user", text: "My sister Ana is visiting from Lisbon next week, and we are going to the coast." },
  { speaker: "assistant", text: "That sounds lovely. Do you want ideas for places to eat on the coast?" },
  { speaker: "user", text: "Yes please, somewhere with grilled fish. She does not eat meat." },
  { speaker: "assistant", text: "Then a harbour restaurant would suit you both; book ahead for the weekend." },
];

for (const fixture of realModels) {
  describe(`summaries on ${fixture.name}`, { skip: fixture.skip }, () => {
    let host: HostHarness;
    before(async () => {
      host = await startHost(fixture.path(), { contextSize: fixture.contextSize });
    });
    after(async () => {
      await host?.dispose();
    });

    test("every summary reply parses, the job succeeds and the conversation has its summary", async (t) => {
      const { model, calls } = recordingJson(host.model, "summary");
      const { engine } = await openTempEngine(t, { models: new ScriptedModelService(model) });
      const { conversationId } = await engine.call("memory.ingest", { turns });
      await engine.drainJobs();
      assert.deepEqual(calls.errors.map(String), [], "no summary call failed");
      assert.ok(calls.answers.length >= 2, "the conversation's summary and the profile were asked for");
      for (const answer of calls.answers) assert.deepEqual(schemaViolations(answer, summarySchema), []);
      assert.equal((await engine.call("stats.get", {})).pendingJobs, 0);
      const { conversation } = await engine.call("summaries.get", { conversationId });
      assert.equal(conversation?.turnCount, turns.length, "the summary covers the four turns");
    });
  });
}
