import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EngramError } from "../../core/errors.ts";
import { buildBridge } from "../../electron/bridge.ts";
import { forwardEngineEvents, registerIpcHandlers } from "../../electron/ipcHandlers.ts";
import { OpeningEngine, type DisposableEngine } from "../../electron/openingEngine.ts";
import { createSenderCheck } from "../../electron/senderValidation.ts";
import { FakeEngine } from "../server/fakeEngine.ts";
import { FakeIpc } from "./fakeElectron.ts";

/** A FakeEngine that counts dispose calls, opened when the test says so. */
function deferredEngine() {
  const engine = Object.assign(new FakeEngine(), { disposed: 0 });
  const disposable: DisposableEngine = Object.assign(engine, {
    dispose: async () => void engine.disposed++,
  });
  let open!: () => void;
  let fail!: (error: unknown) => void;
  const opening = new Promise<DisposableEngine>((resolve, reject) => {
    open = () => resolve(disposable);
    fail = reject;
  });
  return { engine, opening, open, fail };
}

/** The window's side: the preload bridge over IPC handlers registered on the opening engine. */
function windowOn(opening: OpeningEngine) {
  const ipc = new FakeIpc();
  registerIpcHandlers(
    ipc.ipcMain,
    opening,
    createSenderCheck(() => ipc.webContents),
  );
  forwardEngineEvents(opening.events, ipc.webContents);
  return buildBridge(ipc.ipcRenderer);
}

describe("the window opens before the engine", () => {
  test("a call made while the engine opens waits, then runs on it", async () => {
    const { engine, opening, open } = deferredEngine();
    const bridge = windowOn(new OpeningEngine(opening));
    const reply = bridge.call("conversations.create", { title: "Early" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(engine.calls.length, 0, "nothing reaches an engine that is not open");
    open();
    const settled = await reply;
    assert.equal(settled.ok, true);
    assert.equal((settled as { data: { title: string } }).data.title, "Early");
  });

  test("a subscription made before the engine opened receives its events; unsubscribing stops them", async () => {
    const { engine, opening, open } = deferredEngine();
    const bridge = windowOn(new OpeningEngine(opening));
    const received: unknown[] = [];
    const unsubscribe = bridge.on("memory.changed", (payload) => received.push(payload));
    open();
    await new Promise((resolve) => setTimeout(resolve, 0));
    engine.events.emit("memory.changed", { kinds: ["episode"] });
    assert.deepEqual(received, [{ kinds: ["episode"] }]);
    unsubscribe();
    engine.events.emit("memory.changed", { kinds: ["episode"] });
    assert.equal(received.length, 1);
  });

  test("when opening fails, every call answers the failure as { code, message } and opened() rejects", async () => {
    const { opening, fail } = deferredEngine();
    const engine = new OpeningEngine(opening);
    const bridge = windowOn(engine);
    fail(new EngramError("insufficient_disk", "The disk is full."));
    assert.deepEqual(await bridge.call("conversations.list", {}), {
      ok: false,
      error: { code: "insufficient_disk", message: "The disk is full." },
    });
    await assert.rejects(engine.opened(), /The disk is full/);
    await engine.dispose();
  });

  test("quitting while the engine opens waits for it, disposes it once, and later calls are refused", async () => {
    const { engine, opening, open } = deferredEngine();
    const opened = new OpeningEngine(opening);
    const first = opened.dispose();
    const second = opened.dispose();
    open();
    await Promise.all([first, second]);
    assert.equal(engine.disposed, 1);
    const reply = await opened.dispatch("conversations.list", {});
    assert.equal((reply as { error?: { code: string } }).error?.code, "cancelled");
  });
});
