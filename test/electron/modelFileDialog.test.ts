import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from "electron";
import type { CallResult } from "../../core/boundary.ts";
import { buildBridge } from "../../electron/bridge.ts";
import { registerIpcHandlers } from "../../electron/ipcHandlers.ts";
import { chooseModelFile } from "../../electron/modelFileDialog.ts";
import { createSenderCheck } from "../../electron/senderValidation.ts";
import { FakeIpc } from "./fakeElectron.ts";

/** An engine that records what reaches it and imports any path ending in .gguf. */
function fakeEngine() {
  const calls: { method: string; input: unknown }[] = [];
  return {
    calls,
    async dispatch(method: string, input: unknown): Promise<CallResult> {
      calls.push({ method, input });
      const path = (input as { path?: string }).path ?? "";
      if (method !== "models.import") return { ok: false, error: { code: "bad_input", message: "engine refuses" } };
      if (!path.endsWith(".gguf"))
        return { ok: false, error: { code: "bad_input", message: "Pick a .gguf model file." } };
      return {
        ok: true,
        data: {
          id: "local-model",
          name: "Model",
          kind: "chat",
          installed: true,
          status: "installed",
          sizeBytes: 1,
          path,
        },
      };
    },
  };
}

/** The system dialog, answering what the test scripted and remembering how it was opened. */
function fakeDialog(answer: OpenDialogReturnValue) {
  const opened: OpenDialogOptions[] = [];
  return {
    opened,
    showOpenDialog: async (_window: BrowserWindow, options: OpenDialogOptions) => {
      opened.push(options);
      return answer;
    },
  };
}

const window = {} as BrowserWindow;

function setUp(answer: OpenDialogReturnValue) {
  const ipc = new FakeIpc();
  const engine = fakeEngine();
  const dialog = fakeDialog(answer);
  registerIpcHandlers(
    ipc.ipcMain,
    engine,
    createSenderCheck(() => ipc.webContents),
    {
      "app.chooseModelFile": () => chooseModelFile(dialog, window, engine),
    },
  );
  return { ipc, engine, dialog, bridge: buildBridge(ipc.ipcRenderer) };
}

describe("app.chooseModelFile in the desktop app", () => {
  test("opens the .gguf dialog in main and imports the chosen file through the contract", async () => {
    const { bridge, engine, dialog } = setUp({ canceled: false, filePaths: ["/models/tiny.gguf"] });
    const reply = await bridge.call("app.chooseModelFile", {});
    assert.equal(reply.ok, true);
    assert.equal((reply as { data: { model: { path: string } } }).data.model.path, "/models/tiny.gguf");
    assert.deepEqual(dialog.opened[0]?.filters, [{ name: "GGUF models", extensions: ["gguf"] }]);
    assert.deepEqual(engine.calls, [{ method: "models.import", input: { path: "/models/tiny.gguf" } }]);
  });

  test("a path sent by the page is ignored: only the dialog's choice is imported", async () => {
    const { bridge, engine } = setUp({ canceled: false, filePaths: ["/models/chosen.gguf"] });
    await bridge.call("app.chooseModelFile", { path: "/etc/passwd" });
    assert.deepEqual(engine.calls, [{ method: "models.import", input: { path: "/models/chosen.gguf" } }]);
  });

  test("a cancelled dialog answers model null and imports nothing", async () => {
    const { bridge, engine } = setUp({ canceled: true, filePaths: [] });
    assert.deepEqual(await bridge.call("app.chooseModelFile", {}), { ok: true, data: { model: null } });
    assert.equal(engine.calls.length, 0);
  });

  test("a refused import crosses IPC with its code and message", async () => {
    const { bridge } = setUp({ canceled: false, filePaths: ["/models/notes.txt"] });
    assert.deepEqual(await bridge.call("app.chooseModelFile", {}), {
      ok: false,
      error: { code: "bad_input", message: "Pick a .gguf model file." },
    });
  });

  test("an untrusted frame is refused before any dialog opens", async () => {
    const { ipc, bridge, dialog } = setUp({ canceled: false, filePaths: ["/models/tiny.gguf"] });
    ipc.senderFrame = { url: "https://evil.example/", parent: null };
    const reply = await bridge.call("app.chooseModelFile", {});
    assert.equal((reply as { error: { code: string } }).error.code, "forbidden");
    assert.equal(dialog.opened.length, 0);
  });

  test("every other method still goes to the engine", async () => {
    const { bridge, engine } = setUp({ canceled: true, filePaths: [] });
    await bridge.call("conversations.list", {});
    assert.deepEqual(engine.calls, [{ method: "conversations.list", input: {} }]);
  });
});
