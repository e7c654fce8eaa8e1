/**
 * Entry of the model host process. Started by ModelHostClient through a HostSpawner:
 * - headless / tests: `child_process.fork(thisFile, { execArgv: ["--import", "tsx"] })` (Node IPC channel);
 * - Electron: `utilityProcess.fork(builtThisFile)` (messages arrive on `process.parentPort`).
 * Native faults in llama.cpp kill only this process; the client notices, fails the request in flight and restarts it.
 */
import { HostRequest, type HostReply } from "./hostProtocol.ts";
import { ModelHostRuntime } from "./modelHostRuntime.ts";

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(reply: HostReply): void {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
}

const runtime = new ModelHostRuntime(send);

function receive(raw: unknown): void {
  const parsed = HostRequest.safeParse(raw);
  if (!parsed.success) {
    // Without a valid id there is nobody to answer; say it on stderr, which the client forwards to its log.
    console.error(`model host: ignored a malformed request: ${parsed.error.message}`);
    return;
  }
  void runtime.handle(parsed.data);
}

if (parentPort) {
  parentPort.on("message", (event) => receive(event.data));
} else if (process.send) {
  process.on("message", receive);
  // The app went away (even by crashing): there is nobody to serve, so free the model's memory at once.
  process.on("disconnect", () => {
    void runtime.dispose().finally(() => process.exit(0));
  });
} else {
  console.error("model host: started without an IPC channel; it must be launched by ModelHostClient.");
  process.exit(2);
}

send({ type: "started", pid: process.pid });
