/**
 * The real headless server in its own process (`tsx core/server/cli.ts --data DIR [--model FILE]`), as a user or an
 * outside tool starts it, for the reliability suites: started, called over HTTP, measured, and killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface CallReply {
  status: number;
  body: { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  /** Milliseconds from sending to the whole reply. */
  ms: number;
}

export interface StartOptions {
  dataDir: string;
  modelFile?: string;
  /** Extra environment (NODE_OPTIONS for a network guard, for instance). */
  env?: Record<string, string>;
  /** How long to wait for the listening line. The machine may be busy: generous. */
  timeoutMs?: number;
}

export class HeadlessProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly token: string;
  readonly #output: { stdout: string; stderr: string };

  private constructor(child: ChildProcess, origin: string, token: string, output: { stdout: string; stderr: string }) {
    this.child = child;
    this.origin = origin;
    this.token = token;
    this.#output = output;
  }

  /** Spawns the server and resolves once it prints its listening line; rejects if it exits or times out first. */
  static async start(options: StartOptions): Promise<HeadlessProcess> {
    const child = HeadlessProcess.spawn(options);
    const output = HeadlessProcess.capture(child);
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the server did not start in ${options.timeoutMs ?? 180_000} ms. stderr:\n${output.stderr}`));
      }, options.timeoutMs ?? 180_000);
      const look = () => {
        const found = /Engram listening on (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(output.stdout);
        if (found) {
          clearTimeout(timer);
          child.stdout!.off("data", look);
          child.off("exit", exited);
          resolve(found[0]);
        }
      };
      const exited = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code ?? signal}) before listening. stderr:\n${output.stderr}`));
      };
      child.stdout!.on("data", look);
      child.once("exit", exited);
    });
    const [, origin, token] = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(line)!;
    return new HeadlessProcess(child, origin!, token!, output);
  }

  /** Spawns the server without waiting for it (a kill during start-up plays a crash mid-migration). */
  static spawn(options: StartOptions): ChildProcess {
    const args = ["--import", "tsx", "core/server/cli.ts", "--data", options.dataDir];
    if (options.modelFile) args.push("--model", options.modelFile);
    return spawn(process.execPath, args, {
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  static capture(child: ChildProcess): { stdout: string; stderr: string } {
    const output = { stdout: "", stderr: "" };
    child.stdout!.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
    return output;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get stdout(): string {
    return this.#output.stdout;
  }

  get stderr(): string {
    return this.#output.stderr;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** POSTs `input` as JSON to a method. */
  call(method: string, input: unknown = {}, timeoutMs = 60_000): Promise<CallReply> {
    return this.post(method, JSON.stringify(input), timeoutMs);
  }

  /** POSTs a raw body (any text, valid JSON or not) to a method. */
  async post(method: string, body: string, timeoutMs = 60_000): Promise<CallReply> {
    const started = performance.now();
    const response = await fetch(`${this.origin}/api/${method}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: CallReply["body"];
    try {
      parsed = JSON.parse(text) as CallReply["body"];
    } catch (error) {
      throw new Error(`${method} answered ${response.status} with a body that is not JSON (${String(error)}): ${text}`);
    }
    return { status: response.status, body: parsed, ms: performance.now() - started };
  }

  /** Calls a method that must succeed; returns its data. */
  async data<T>(method: string, input: unknown = {}): Promise<T> {
    const reply = await this.call(method, input);
    if (!reply.body.ok) throw new Error(`${method} failed: ${reply.status} ${JSON.stringify(reply.body.error)}`);
    return reply.body.data as T;
  }

  /** Resident memory of the server and of its child processes (the model host), in bytes. */
  async rss(): Promise<{ server: number; children: number }> {
    const server = await residentBytes(this.pid);
    let children = 0;
    for (const child of await childPids(this.pid)) children += await residentBytes(child);
    return { server, children };
  }

  /** Ids of the server's child processes (the model host). */
  children(): Promise<number[]> {
    return childPids(this.pid);
  }

  /** Sends `signal` and waits until the process is gone. */
  async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, "exit");
    this.child.kill(signal);
    await exited;
  }
}

async function residentBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kilobytes = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kilobytes ? Number(kilobytes) * 1024 : 0;
  } catch (error) {
    // Gone between listing and reading: it holds no memory.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH")
      return 0;
    throw error;
  }
}

/** Children of `pid`, from /proc (Linux; elsewhere none are found and only the server is measured). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Whether a process id is still in use. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
