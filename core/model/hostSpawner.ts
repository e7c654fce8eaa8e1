import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The model host process as the client sees it. Two implementations exist: `forkHostSpawner` (Node's
 * child_process, for headless mode and tests) and, in electron/, one over `utilityProcess.fork` whose adapter is:
 * `postMessage` -> `child.postMessage`, `onMessage` -> `child.on("message", listener)`, `onExit` ->
 * `child.on("exit", (code) => listener(code, null))`, `kill` -> `child.kill()`.
 */
export interface HostProcess {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone, whatever the cause (exit, crash, kill). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process at once (SIGKILL where the platform has it): used on dispose and for hung hosts. */
  kill(): void;
}

/** Starts a fresh model host process running modelHostEntry. */
export type HostSpawner = () => HostProcess;

/** The host entry next to this file: a .ts file under tsx in development, the compiled .js in a build. */
export const defaultHostEntry = fileURLToPath(new URL("./modelHostEntry.ts", import.meta.url));

export interface ForkHostSpawnerOptions {
  /** Script to run; defaults to modelHostEntry.ts next to this module. */
  entry?: string;
  /**
   * Node flags for the child. Defaults to `--import tsx` so the TypeScript entry runs as is; a compiled build passes
   * `[]`. Never inherits the parent's flags, which under `node --test` would make the host a test runner.
   */
  execArgv?: string[];
  /** Extra environment for the child (merged over the parent's). */
  env?: Record<string, string>;
}

/** A spawner over `child_process.fork`, used in headless mode and tests. */
export function forkHostSpawner(options: ForkHostSpawnerOptions = {}): HostSpawner {
  const entry = options.entry ?? defaultHostEntry;
  const execArgv = options.execArgv ?? ["--import", "tsx"];
  return () => {
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...options.env },
      // stdout is not used by the protocol; stderr carries llama.cpp's own error lines, useful in a crash report.
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    // The host ends with the app: killed on any exit of this process (process.exit, an uncaught fault); when this
    // process is killed outright, the host notices the closed channel itself (modelHostEntry).
    const killHost = () => child.kill("SIGKILL");
    process.once("exit", killHost);
    child.once("exit", () => process.off("exit", killHost));
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => {
        // After a crash the channel is closed; the client has already failed the request, so dropping is right.
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on("message", listener),
      onExit: (listener) => child.once("exit", listener),
      kill: () => child.kill("SIGKILL"),
    };
  };
}
