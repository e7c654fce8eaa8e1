import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CancelledError, EngramError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import { fetchWithCheckedRedirects } from "./checkedRedirects.ts";

export interface DownloadFile {
  url: string;
  /** Final location; the bytes go to `<target>.part` until they are complete and verified. */
  target: string;
  /** Expected sha256 (hex); when present a mismatch deletes the file and fails the download. */
  sha256?: string;
  /** Expected size, used for the free-disk check before the server tells the exact length. */
  sizeBytes?: number;
  /**
   * Checks the complete file before it is installed (a .gguf must hold a GGUF header); a throw deletes it and fails
   * the download.
   */
  validate?: (path: string) => Promise<void>;
}

export interface DownloadedFile {
  target: string;
  sizeBytes: number;
  /** sha256 of the bytes received, recorded so a later check (or the user) can compare it. */
  sha256: string;
}

export interface ModelDownloaderOptions {
  events: EventBus;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Waits between attempts after a cut connection; its length is the number of retries. */
  retryDelaysMs?: number[];
  /** Minimum interval between progress events. */
  progressIntervalMs?: number;
  /** Free bytes on the disk holding `directory`; injected in tests. */
  freeDiskBytes?: (directory: string) => Promise<number>;
  /** Offline mode: checked before every request and every redirect, so turning it on stops a running download. */
  isOffline?: () => boolean;
}

/**
 * What the caller does when a download ends, before its final "models.progress" event: so a client that hears
 * "done" or "failed" and lists the models already sees the model installed, or listed as failed.
 */
export interface DownloadOutcome {
  /** Installs what was downloaded; a throw fails the download. */
  completed?: (results: DownloadedFile[]) => Promise<void>;
  failed?: (error: EngramError) => Promise<void> | void;
}

interface Active {
  controller: AbortController;
  done: Promise<DownloadedFile[]>;
}

/** Room kept free on the disk beyond the download itself, so the app can still write its database. */
const diskHeadroomBytes = 200 * 1024 * 1024;

async function defaultFreeDiskBytes(directory: string): Promise<number> {
  const stats = await statfs(directory);
  return stats.bavail * stats.bsize;
}

/**
 * Downloads model files with progress events ("models.progress"), resume over HTTP Range after a cut connection,
 * sha256 verification, a free-disk check and cancellation. Several downloads may run at once, each with its id.
 */
export class ModelDownloader {
  readonly #events: EventBus;
  readonly #fetch: typeof fetch;
  readonly #retryDelaysMs: number[];
  readonly #progressIntervalMs: number;
  readonly #freeDiskBytes: (directory: string) => Promise<number>;
  readonly #isOffline: () => boolean;
  readonly #active = new Map<string, Active>();

  constructor(options: ModelDownloaderOptions) {
    this.#events = options.events;
    this.#fetch = options.fetch ?? fetch;
    this.#retryDelaysMs = options.retryDelaysMs ?? [1000, 3000, 10_000];
    this.#progressIntervalMs = options.progressIntervalMs ?? 250;
    this.#freeDiskBytes = options.freeDiskBytes ?? defaultFreeDiskBytes;
    this.#isOffline = options.isOffline ?? (() => false);
  }

  /** Downloads running now. */
  get activeIds(): string[] {
    return [...this.#active.keys()];
  }

  /**
   * Starts downloading `files` (in order) under `downloadId`. The returned promise settles when all are complete and
   * verified, or rejects with cancelled, checksum_mismatch, insufficient_disk or download_failed; every outcome is
   * also reported as a final "models.progress" event.
   */
  start(
    downloadId: string,
    modelId: string,
    files: DownloadFile[],
    outcome: DownloadOutcome = {},
  ): Promise<DownloadedFile[]> {
    if (this.#active.has(downloadId)) throw new EngramError("conflict", `Download ${downloadId} is already running.`);
    const controller = new AbortController();
    const done = this.#run(downloadId, modelId, files, controller.signal, outcome).finally(() =>
      this.#active.delete(downloadId),
    );
    this.#active.set(downloadId, { controller, done });
    return done;
  }

  /** Cancels a running download; its partial files are deleted. Returns false when no such download runs. */
  cancel(downloadId: string): boolean {
    const active = this.#active.get(downloadId);
    if (!active) return false;
    active.controller.abort();
    return true;
  }

  async #run(
    downloadId: string,
    modelId: string,
    files: DownloadFile[],
    signal: AbortSignal,
    outcome: DownloadOutcome,
  ) {
    const progress = new ProgressReporter(this.#events, downloadId, modelId, this.#progressIntervalMs);
    progress.totalBytes = files.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0);
    try {
      const directory = dirname(files[0]?.target ?? ".");
      await mkdir(directory, { recursive: true });
      const free = await this.#freeDiskBytes(directory);
      if (progress.totalBytes + diskHeadroomBytes > free) throw insufficientDisk(free);
      const results: DownloadedFile[] = [];
      for (const file of files) results.push(await this.#downloadFile(file, signal, progress));
      await outcome.completed?.(results);
      progress.emit("done");
      return results;
    } catch (error) {
      const cancelled = signal.aborted;
      for (const file of files) await rm(`${file.target}.part`, { force: true });
      // What the server or the network said stays out of the message (it reaches the UI and the list of models).
      const failure =
        error instanceof EngramError
          ? error
          : new EngramError(
              "download_failed",
              "The download failed: the server could not be reached or the connection broke. Try again later.",
              { cause: error },
            );
      const final = cancelled ? new CancelledError("The download was cancelled.") : failure;
      await outcome.failed?.(final);
      progress.emit(cancelled ? "cancelled" : "failed", cancelled ? undefined : failure);
      throw final;
    }
  }

  async #downloadFile(file: DownloadFile, signal: AbortSignal, progress: ProgressReporter): Promise<DownloadedFile> {
    await mkdir(dirname(file.target), { recursive: true });
    const partial = `${file.target}.part`;
    const expected = file.sizeBytes ?? 0;
    const fileStart = progress.receivedBytes;
    for (let attempt = 0; ; attempt++) {
      const offset = await sizeOf(partial);
      progress.receivedBytes = fileStart + offset;
      try {
        await this.#fetchInto(file, partial, offset, signal, progress, (length) => {
          // Now the server told the exact size: correct the estimate the progress bar uses.
          progress.totalBytes += length - expected;
        });
        break;
      } catch (error) {
        if (signal.aborted || error instanceof EngramError || attempt >= this.#retryDelaysMs.length) throw error;
        // A cut connection: wait, then resume from what is on disk (HTTP Range).
        await delay(this.#retryDelaysMs[attempt] ?? 0, signal);
      }
    }
    progress.emit("verifying");
    const sha256 = await hashFile(partial);
    if (file.sha256 && sha256 !== file.sha256.toLowerCase()) {
      await rm(partial, { force: true });
      throw new EngramError(
        "checksum_mismatch",
        "The downloaded file is not the one expected (its checksum differs); it was deleted.",
      );
    }
    if (file.validate) {
      try {
        await file.validate(partial);
      } catch (error) {
        await rm(partial, { force: true });
        throw new EngramError("download_failed", "What the server sent is not a model file; it was deleted.", {
          cause: error,
        });
      }
    }
    await rename(partial, file.target);
    return { target: file.target, sizeBytes: await sizeOf(file.target), sha256 };
  }

  async #fetchInto(
    file: DownloadFile,
    partial: string,
    offset: number,
    signal: AbortSignal,
    progress: ProgressReporter,
    onLength: (length: number) => void,
  ): Promise<void> {
    const response = await fetchWithCheckedRedirects(
      file.url,
      { signal, headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} },
      { fetch: this.#fetch, isOffline: this.#isOffline },
    );
    if (response.status === 416 && offset > 0) return; // the part file already holds every byte
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new EngramError("download_failed", "The download failed: the server did not send the file.");
    }
    const resumed = response.status === 206;
    if (!resumed && offset > 0) progress.receivedBytes -= offset; // the server ignored Range: start again
    const remaining = Number(response.headers.get("content-length") ?? NaN);
    if (Number.isFinite(remaining)) {
      const length = (resumed ? offset : 0) + remaining;
      onLength(length);
      const free = await this.#freeDiskBytes(dirname(partial));
      if (remaining + diskHeadroomBytes > free) throw insufficientDisk(free);
    }
    const counter = async function* (source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        progress.add(chunk.length);
        yield chunk;
      }
    };
    await pipeline(
      Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial, { flags: resumed ? "a" : "w" }),
      { signal },
    );
    if (Number.isFinite(remaining)) {
      const written = await sizeOf(partial);
      const expectedTotal = (resumed ? offset : 0) + remaining;
      // A connection closed cleanly but early is still a cut connection: let the retry resume it.
      if (written < expectedTotal) throw new Error(`connection closed after ${written} of ${expectedTotal} bytes`);
    }
  }

  /** Cancels every running download and waits for them to settle. */
  async dispose(): Promise<void> {
    const running = [...this.#active.values()];
    for (const active of running) active.controller.abort();
    await Promise.allSettled(running.map((active) => active.done));
  }
}

/** Turns byte counts into throttled "models.progress" events with speed and ETA. */
class ProgressReporter {
  receivedBytes = 0;
  totalBytes = 0;
  readonly #started = Date.now();
  #sessionBytes = 0;
  #lastEmit = 0;

  constructor(
    private readonly events: EventBus,
    private readonly downloadId: string,
    private readonly modelId: string,
    private readonly intervalMs: number,
  ) {}

  add(bytes: number): void {
    this.receivedBytes += bytes;
    this.#sessionBytes += bytes;
    if (Date.now() - this.#lastEmit >= this.intervalMs) this.emit("downloading");
  }

  emit(status: "downloading" | "verifying" | "done" | "failed" | "cancelled", error?: EngramError): void {
    this.#lastEmit = Date.now();
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001);
    const bytesPerSecond = this.#sessionBytes / seconds;
    const remaining = Math.max(0, this.totalBytes - this.receivedBytes);
    this.events.emit("models.progress", {
      downloadId: this.downloadId,
      modelId: this.modelId,
      receivedBytes: this.receivedBytes,
      totalBytes: Math.max(this.totalBytes, this.receivedBytes),
      bytesPerSecond,
      etaSeconds: status === "downloading" && bytesPerSecond > 0 ? remaining / bytesPerSecond : null,
      status,
      ...(error ? { error: error.message, code: error.code } : {}),
    });
  }
}

function insufficientDisk(free: number): EngramError {
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(2);
  // Only this disk's free space is named: the size comes from the server, whose answers are not repeated.
  return new EngramError(
    "insufficient_disk",
    `There is not enough free disk space for this download (${gb(free)} GB free). Free some space and try again.`,
  );
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new CancelledError("The download was cancelled."));
      },
      { once: true },
    );
  });
}
