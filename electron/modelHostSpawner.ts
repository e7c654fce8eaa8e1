import type { UtilityProcessModule } from "electron";
import type { HostSpawner } from "../core/model/hostSpawner.ts";

/**
 * The model host's process in the desktop app. The model host (core/model) runs node-llama-cpp and the embedder in a
 * separate process so a native crash cannot take the app down; it asks a spawner for that process. Headless mode
 * uses core/model's forkHostSpawner (child_process.fork); in Electron it is a utilityProcess, a Node child managed by
 * Electron that also works from inside the packaged asar.
 */
export function utilityProcessSpawner(utilityProcess: Pick<UtilityProcessModule, "fork">, entry: string): HostSpawner {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: "Engram model host", stdio: "inherit" });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on("message", listener),
      // A utility process reports only its exit code; a crash shows as a non-zero code.
      onExit: (listener) => void child.once("exit", (code) => listener(code, null)),
      kill: () => void child.kill(),
    };
  };
}
