/**
 * Entry of the model host process. Started by ModelHostClient through a HostSpawner:
 * - headless / tests: `child_process.fork(thisFile, { execArgv: ["--import", "tsx"] })` (Node IPC channel);
 * - Electron: `utilityProcess.fork(builtThisFile)` (messages arrive on `process.parentPort`).
 * Native faults in llama.cpp kill only this process; the client notices, fails the request in flight and restarts it.
 *
 * The host never outlives the app. Its lifetime is set up before node-llama-cpp is even loaded (that takes seconds on
 * a busy machine, and an app that died meanwhile would never be noticed): the IPC channel closing, or the app's
 * process going away, ends the host within a couple of seconds, and a reply that can no longer be delivered ends it
 * too instead of throwing ERR_IPC_CHANNEL_CLOSED.
 */
import { HostRequest, type HostReply } from "./hostProtocol.ts";
import type { ModelHostRuntime } from "./modelHostRuntime.ts";

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
}

/** How long freeing the model may take once the app is gone, before the host exits regardless. */
const exitGraceMs = 2000;
/** How often the host checks that the process that started it is still its parent. */
const parentCheckMs = 1000;

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
let runtime: ModelHostRuntime | null = null;
let exiting = false;

/** The app went away (even by crashing): there is nobody to serve, so free the model's memory and exit. */
function exitWithApp(): void {
  if (exiting) return;
  exiting = true;
  // A native call that never returns must not keep the host alive: the timer exits anyway.
  setTimeout(() => process.exit(0), exitGraceMs);
  void (runtime?.dispose() ?? Promise.resolve()).finally(() => process.exit(0));
}

function send(reply: HostReply): void {
  if (parentPort) return parentPort.postMessage(reply);
  if (!process.connected) return exitWithApp();
  // With a callback a closed channel is reported here, not thrown as an unhandled 'error' event on the process.
  process.send!(reply, undefined, {}, (error: Error | null) => {
    if (error) exitWithApp();
  });
}

if (!parentPort) {
  if (!process.send) {
    console.error("model host: started without an IPC channel; it must be launched by ModelHostClient.");
    process.exit(2);
  }
  process.on("disconnect", exitWithApp);
  // The app may have gone before the listener above existed, or its channel may linger: a host re-parented to
  // another process has lost its app.
  const appPid = process.ppid;
  setInterval(() => {
    if (!process.connected || process.ppid !== appPid) exitWithApp();
  }, parentCheckMs).unref();
  // Ctrl+C in a terminal reaches the whole process group, the host too. The app decides when the host stops: it stops
  // the reply, stores it and then ends the host; should the app die instead, the disconnect above ends it.
  process.on("SIGINT", () => undefined);
  if (!process.connected) exitWithApp();
}

// Loaded only now, with the lifetime in place (node-llama-cpp is large).
const { ModelHostRuntime: Runtime } = await import("./modelHostRuntime.ts");
runtime = new Runtime(send);
const started = runtime;

function receive(raw: unknown): void {
  const parsed = HostRequest.safeParse(raw);
  if (!parsed.success) {
    // Without a valid id there is nobody to answer; say it on stderr, which the client forwards to its log.
    console.error(`model host: ignored a malformed request: ${parsed.error.message}`);
    return;
  }
  void started.handle(parsed.data);
}

if (parentPort) parentPort.on("message", (event) => receive(event.data));
else process.on("message", receive);

send({ type: "started", pid: process.pid });
