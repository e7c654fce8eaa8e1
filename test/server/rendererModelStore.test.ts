import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ModelEntry } from "../../core/api/index.ts";
import { ApiClient } from "../../renderer/api/apiClient.ts";
import type { Reply, Transport } from "../../renderer/api/transport.ts";
import { createAppStore } from "../../renderer/store/appStore.ts";

/** A model service as the renderer sees it: a catalog entry that a download installs, and models.use. */
function fakeModelService() {
  const model: ModelEntry = {
    id: "small-chat",
    name: "Small Chat",
    kind: "chat",
    installed: false,
    status: "available",
    sizeBytes: 2_000_000_000,
    ramTierGb: 8,
  };
  let chatModel: string | null = null;
  const calls: string[] = [];
  const answer = (data: unknown): Reply => ({ ok: true, data });
  const transport: Transport = {
    kind: "headless",
    async call(method, input) {
      calls.push(method);
      if (method === "models.list") return answer({ models: [{ ...model }] });
      if (method === "stats.get") return answer({ chatModel });
      if (method === "models.download") return answer({ downloadId: "d1" });
      if (method === "models.use") {
        chatModel = (input as { id: string }).id;
        model.status = "active";
        return answer({ models: [{ ...model }] });
      }
      return { ok: false, error: { code: "unknown_method", message: method } };
    },
    on: () => () => undefined,
    dispose: () => undefined,
  };
  const install = () => Object.assign(model, { installed: true, status: "installed" });
  return { store: createAppStore(new ApiClient(transport)), calls, install };
}

const progress = (status: "downloading" | "done" | "failed", receivedBytes: number, error?: string) => ({
  downloadId: "d1",
  modelId: "small-chat",
  receivedBytes,
  totalBytes: 2_000_000_000,
  bytesPerSecond: 1e7,
  etaSeconds: 10,
  status,
  ...(error ? { error } : {}),
});

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 3000) assert.fail("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe("getting a chat model from the renderer's store", () => {
  test("a download shows its progress, and once done the model is put to use when none answered", async () => {
    const { store, install } = fakeModelService();
    await store.getState().loadModels();
    assert.equal(store.getState().chatModelId, null, "no chat model: the banner shows");
    await store.getState().downloadModel("small-chat");
    assert.equal(store.getState().downloads["small-chat"]?.receivedBytes, 0);
    store.getState().receiveModelProgress(progress("downloading", 500_000_000));
    assert.equal(store.getState().downloads["small-chat"]?.receivedBytes, 500_000_000);

    install();
    store.getState().receiveModelProgress(progress("done", 2_000_000_000));
    assert.equal(store.getState().downloads["small-chat"], undefined);
    await until(() => store.getState().chatModelId === "small-chat");
    assert.equal(store.getState().models[0]?.status, "active");
  });

  test("a failed download says why, and nothing is put to use", async () => {
    const { store, calls } = fakeModelService();
    await store.getState().loadModels();
    await store.getState().downloadModel("small-chat");
    store.getState().receiveModelProgress(progress("failed", 0, "The server could not be reached."));
    assert.match(store.getState().modelError ?? "", /Downloading Small Chat failed: The server could not be reached/);
    assert.equal(store.getState().downloads["small-chat"], undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!calls.includes("models.use"));
  });
});
