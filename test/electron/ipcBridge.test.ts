import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventNames, methodNames } from "../../core/api/index.ts";
import { bridgeKey, buildBridge, exposeBridge } from "../../electron/bridge.ts";
import { eventChannel, methodChannel } from "../../electron/channels.ts";
import { forwardEngineEvents, registerIpcHandlers } from "../../electron/ipcHandlers.ts";
import { createSenderCheck } from "../../electron/senderValidation.ts";
import { FakeEngine } from "../server/fakeEngine.ts";
import { FakeIpc } from "./fakeElectron.ts";

function setUp() {
  const ipc = new FakeIpc();
  const engine = new FakeEngine();
  const removeHandlers = registerIpcHandlers(
    ipc.ipcMain,
    engine,
    createSenderCheck(() => ipc.webContents),
  );
  const stopForwarding = forwardEngineEvents(engine.events, ipc.webContents);
  const bridge = buildBridge(ipc.ipcRenderer);
  return { ipc, engine, bridge, removeHandlers, stopForwarding };
}

describe("IPC handlers generated from the contract", () => {
  test("one handler per contract method, on channels derived from the method names", () => {
    const { ipc, removeHandlers } = setUp();
    assert.deepEqual([...ipc.handlers.keys()].sort(), methodNames.map(methodChannel).sort());
    assert.equal(new Set(ipc.handlers.keys()).size, methodNames.length);
    removeHandlers();
    assert.equal(ipc.handlers.size, 0);
  });

  test("a call from the app's top frame reaches dispatch and answers the envelope", async () => {
    const { bridge } = setUp();
    const created = await bridge.call("conversations.create", { title: "Plans" });
    assert.equal(created.ok, true);
    assert.equal((created as { data: { title: string } }).data.title, "Plans");
  });

  test("input is parsed by the contract: a bad input is bad_input and the handler never runs", async () => {
    const { bridge } = setUp();
    const reply = await bridge.call("conversations.create", { title: ["not", "a", "string"] });
    assert.deepEqual(reply.ok, false);
    assert.equal((reply as { error: { code: string } }).error.code, "bad_input");
  });

  test("handler failures cross IPC as { code, message }", async () => {
    const { bridge } = setUp();
    const reply = await bridge.call("messages.list", { conversationId: "missing" });
    assert.deepEqual(reply, {
      ok: false,
      error: { code: "not_found", message: 'Conversation "missing" does not exist.' },
    });
  });

  test("an iframe, another window or a foreign page is refused with forbidden", async () => {
    const { ipc, bridge, engine } = setUp();
    const before = engine.calls.length;
    const top = ipc.senderFrame!;
    const refusals: [string, () => void][] = [
      ["sub-frame", () => (ipc.senderFrame = { url: "engram://app/index.html", parent: top })],
      ["foreign page", () => (ipc.senderFrame = { url: "https://evil.example/", parent: null })],
      ["file page", () => (ipc.senderFrame = { url: "file:///etc/passwd", parent: null })],
      ["no frame", () => (ipc.senderFrame = null)],
      ["other window", () => ((ipc.senderFrame = top), (ipc.senderId = 2))],
    ];
    for (const [name, arrange] of refusals) {
      arrange();
      const reply = await bridge.call("conversations.list", {});
      assert.equal((reply as { error?: { code: string } }).error?.code, "forbidden", name);
    }
    assert.equal(engine.calls.length, before, "the engine saw none of the refused calls");
  });

  test("a closed window refuses every call", async () => {
    const ipc = new FakeIpc();
    registerIpcHandlers(
      ipc.ipcMain,
      new FakeEngine(),
      createSenderCheck(() => null),
    );
    const reply = await buildBridge(ipc.ipcRenderer).call("conversations.list", {});
    assert.equal((reply as { error?: { code: string } }).error?.code, "forbidden");
  });

  test("a dispatch that throws still answers an envelope", async () => {
    const ipc = new FakeIpc();
    const engine = {
      dispatch: async () => {
        throw new Error("disk on fire");
      },
    };
    registerIpcHandlers(ipc.ipcMain, engine, () => true);
    const reply = await buildBridge(ipc.ipcRenderer).call("stats.get", {});
    assert.deepEqual(reply, { ok: false, error: { code: "internal", message: "disk on fire" } });
  });
});

describe("the preload bridge", () => {
  test("exposes exactly window.engram with call and on, nothing of ipcRenderer", () => {
    const ipc = new FakeIpc();
    const exposed: Record<string, unknown> = {};
    exposeBridge({ exposeInMainWorld: (key, api) => void (exposed[key] = api) }, ipc.ipcRenderer);
    assert.deepEqual(Object.keys(exposed), [bridgeKey]);
    const bridge = exposed[bridgeKey] as Record<string, unknown>;
    assert.deepEqual(Object.keys(bridge).sort(), ["call", "on"]);
    assert.ok(Object.isFrozen(bridge));
    assert.equal(bridge.invoke, undefined);
  });

  test("an unknown method is answered without any IPC", async () => {
    const { bridge, ipc } = setUp();
    ipc.handlers.clear();
    const reply = await bridge.call("fs.readFile", { path: "/etc/passwd" });
    assert.equal((reply as { error: { code: string } }).error.code, "unknown_method");
  });

  test("every contract event reaches subscribers as the bare payload, and unsubscribe stops it", async () => {
    const { bridge, engine, ipc } = setUp();
    for (const name of eventNames) assert.ok(eventChannel(name).endsWith(name));
    const received: unknown[] = [];
    const unsubscribe = bridge.on("chat.done", (payload) => received.push(payload));
    const sent = await bridge.call("chat.send", { text: "hi" });
    assert.equal(sent.ok, true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(received.length, 1);
    assert.equal((received[0] as { error: { code: string } }).error.code, "no_model");
    unsubscribe();
    assert.equal(ipc.listenerCount(), 0);
    engine.events.emit("memory.changed", { kinds: ["episode"] });
    assert.equal(received.length, 1);
  });

  test("an unknown event name is refused at subscription", () => {
    const { bridge } = setUp();
    assert.throws(() => bridge.on("ipc.raw", () => undefined), TypeError);
  });

  test("events stop reaching a destroyed window and after the forwarder is stopped", () => {
    const { ipc, engine, stopForwarding, bridge } = setUp();
    const received: unknown[] = [];
    bridge.on("memory.changed", (payload) => received.push(payload));
    ipc.webContents.destroyed = true;
    engine.events.emit("memory.changed", { kinds: ["fact"] });
    ipc.webContents.destroyed = false;
    stopForwarding();
    engine.events.emit("memory.changed", { kinds: ["fact"] });
    assert.deepEqual(received, []);
  });
});
