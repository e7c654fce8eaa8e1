import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { basename, join, resolve, sep } from "node:path";
import type { ModelEntry, Settings } from "../api/index.ts";
import { BadInputError, EngramError, NotFoundError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import { defaultSettings } from "../store/settingsStore.ts";
import { ActiveModels } from "./activeModels.ts";
import { catalogEntrySize, modelCatalog, type CatalogEntry } from "./catalog.ts";
import { GenerationScheduler } from "./generationScheduler.ts";
import { readGgufModelFile } from "./ggufFile.ts";
import { forkHostSpawner, type HostSpawner } from "./hostSpawner.ts";
import type { ChatModel, Embedder } from "./interfaces.ts";
import { ModelDownloader } from "./modelDownloader.ts";
import { ModelHostClient } from "./modelHostClient.ts";
import { ModelManifest, type InstalledModel } from "./modelManifest.ts";
import type { ModelChoice, ModelService } from "./modelService.ts";

export interface LocalModelServiceOptions {
  /** The app's data folder; models live in `<dataDir>/models/`. */
  dataDir: string;
  events: EventBus;
  /** How to start the model host: fork in headless mode (default), utilityProcess in Electron. */
  spawner?: HostSpawner;
  catalog?: readonly CatalogEntry[];
  /** Used by downloads and the OpenAI-compatible backend; injected in tests. */
  fetch?: typeof fetch;
  /** Download retry waits (tests shorten them). */
  retryDelaysMs?: number[];
  /**
   * Called by `models.use` with the choice, so the engine saves it in its settings; the engine applies the change
   * first (applySettings with refuseFailure), so a model that does not load rejects here and nothing is saved.
   */
  onModelChosen?: (choice: ModelChoice) => Promise<void> | void;
  /** Called after the embedder was loaded, switched or unloaded (the engine then re-embeds in the background). */
  onEmbedderChanged?: () => void;
}

/**
 * The model runtime as the engine sees it: catalog, downloads, imports, the installed-models manifest and the model
 * host with the active chat model and embedder. Construct with `LocalModelService.create(options)`.
 */
export class LocalModelService implements ModelService {
  readonly handlers: ModelService["handlers"];
  readonly #options: LocalModelServiceOptions;
  readonly #modelsDirectory: string;
  readonly #catalog: readonly CatalogEntry[];
  readonly #manifest: ModelManifest;
  readonly #downloader: ModelDownloader;
  readonly #client: ModelHostClient;
  readonly #scheduler = new GenerationScheduler();
  /** Download id -> model id, for models.list (why a download failed is kept in the manifest). */
  readonly #downloads = new Map<string, string>();
  readonly #active: ActiveModels;
  #settings: Settings | undefined;

  private constructor(options: LocalModelServiceOptions, manifest: ModelManifest) {
    this.#options = options;
    this.#modelsDirectory = join(options.dataDir, "models");
    this.#catalog = options.catalog ?? modelCatalog;
    this.#manifest = manifest;
    this.#downloader = new ModelDownloader({
      events: options.events,
      fetch: options.fetch,
      retryDelaysMs: options.retryDelaysMs,
      isOffline: () => this.#settings?.offline === true,
    });
    this.#client = new ModelHostClient({ spawner: options.spawner ?? forkHostSpawner(), events: options.events });
    this.#active = new ActiveModels({
      client: this.#client,
      scheduler: this.#scheduler,
      manifest,
      events: options.events,
      fetch: options.fetch,
      onEmbedderChanged: options.onEmbedderChanged,
    });
    this.handlers = {
      "models.list": async () => ({ models: this.#list() }),
      "models.download": async (input) => this.#download(input),
      "models.cancel": async ({ downloadId }) => ({ cancelled: this.#downloader.cancel(downloadId) }),
      "models.delete": async ({ id }) => this.#delete(id),
      "models.use": async ({ id }) => this.#use(id),
      "models.import": async ({ path }) => this.#import(path),
    };
  }

  static async create(options: LocalModelServiceOptions): Promise<LocalModelService> {
    const manifest = await ModelManifest.open(join(options.dataDir, "models"));
    return new LocalModelService(options, manifest);
  }

  chatModel(): ChatModel | null {
    return this.#active.chatModel;
  }

  embedder(): Embedder | null {
    return this.#active.embedder;
  }

  /** The host client, for diagnostics and tests (its pid, crash count). */
  get host(): ModelHostClient {
    return this.#client;
  }

  /**
   * Brings the loaded models in line with the settings. By default a model that fails to load does not throw (the
   * app must open without a model): the failure is reported as a "models.status" event and the model stays unset.
   * With `refuseFailure` it throws, after the models in use before are back, and the settings are not taken.
   */
  async applySettings(settings: Settings, options: { refuseFailure?: boolean } = {}): Promise<void> {
    if (!options.refuseFailure) this.#settings = settings;
    await this.#active.apply(settings, options);
    this.#settings = settings;
  }

  #list(): ModelEntry[] {
    const downloading = new Set(this.#downloads.values());
    const entries: ModelEntry[] = [];
    const statusOf = (id: string, installed: boolean): ModelEntry["status"] => {
      if (downloading.has(id)) return "downloading";
      if (installed) return this.#isActive(id) ? "active" : "installed";
      return this.#manifest.failure(id) !== undefined ? "failed" : "available";
    };
    const failure = (id: string, installed: boolean) => {
      const reason = installed || downloading.has(id) ? undefined : this.#manifest.failure(id);
      return reason !== undefined ? { error: reason } : {};
    };
    for (const entry of this.#catalog) {
      const installed = this.#manifest.get(entry.id);
      entries.push({
        id: entry.id,
        name: entry.name,
        kind: entry.kind,
        installed: Boolean(installed),
        status: statusOf(entry.id, Boolean(installed)),
        sizeBytes: installed?.sizeBytes ?? catalogEntrySize(entry),
        ramTierGb: entry.ramTierGb,
        licence: entry.licence,
        contextLength: entry.contextLength,
        ...(installed ? { path: installed.path } : {}),
        ...failure(entry.id, Boolean(installed)),
      });
    }
    for (const installed of this.#manifest.list()) {
      if (this.#catalog.some((entry) => entry.id === installed.id)) continue;
      entries.push({
        id: installed.id,
        name: installed.name,
        kind: installed.kind,
        installed: true,
        status: statusOf(installed.id, true),
        sizeBytes: installed.sizeBytes,
        path: installed.path,
      });
    }
    for (const [id, name] of this.#pendingCustom) {
      if (!entries.some((entry) => entry.id === id)) {
        entries.push({
          id,
          name,
          kind: "chat",
          installed: false,
          status: statusOf(id, false),
          sizeBytes: 0,
          ...failure(id, false),
        });
      }
    }
    return entries;
  }

  /** Custom URL downloads not yet installed (so models.list shows them while they download or after they fail). */
  readonly #pendingCustom = new Map<string, string>();

  #isActive(id: string): boolean {
    return this.#active.isActive(id);
  }

  async #download(
    input: { id: string } | { url: string; sha256?: string; name: string },
  ): Promise<{ downloadId: string }> {
    if (this.#settings?.offline) {
      throw new EngramError("forbidden", "Offline mode is on: downloads are disabled. Turn it off in Settings.");
    }
    let modelId: string;
    let name: string;
    let kind: "chat" | "embedding";
    let files: { url: string; path: string; sha256?: string; sizeBytes?: number }[];
    if ("id" in input) {
      const entry = this.#catalog.find((candidate) => candidate.id === input.id);
      if (!entry) throw new NotFoundError("Catalog model", input.id);
      ({ id: modelId, name, kind, files } = entry);
    } else {
      const fileName = basename(new URL(input.url).pathname) || "model.gguf";
      if (!fileName.toLowerCase().endsWith(".gguf")) throw new BadInputError("Only .gguf files can be downloaded.");
      modelId = `custom-${slug(input.name)}`;
      name = input.name;
      kind = "chat";
      files = [{ url: input.url, path: fileName, ...(input.sha256 ? { sha256: input.sha256 } : {}) }];
      this.#pendingCustom.set(modelId, name);
    }
    if ([...this.#downloads.values()].includes(modelId)) {
      throw new EngramError("conflict", `${name} is already downloading.`);
    }
    const folder = join(this.#modelsDirectory, modelId);
    const downloadId = randomUUID();
    this.#downloads.set(downloadId, modelId);
    const done = this.#downloader.start(
      downloadId,
      modelId,
      files.map((file) => ({
        ...file,
        target: join(folder, file.path),
        // Nothing is installed as a model unless it holds a complete GGUF header (an HTML error page does not).
        ...(file.path.toLowerCase().endsWith(".gguf")
          ? { validate: async (path: string) => void (await readGgufModelFile(path)) }
          : {}),
      })),
      {
        completed: async (results) => {
          await this.#manifest.put({
            id: modelId,
            name,
            kind,
            path: kind === "chat" ? join(folder, files[0]?.path ?? "") : folder,
            sizeBytes: results.reduce((sum, result) => sum + result.sizeBytes, 0),
            source: "id" in input ? "catalog" : "url",
            ...("url" in input ? { url: input.url } : {}),
            sha256: Object.fromEntries(results.map((result, index) => [files[index]?.path ?? "", result.sha256])),
            installedAt: new Date().toISOString(),
          });
          this.#pendingCustom.delete(modelId);
          this.#downloads.delete(downloadId);
        },
        failed: async (error) => {
          // Kept in the manifest for models.list (status failed, and why) until the model is downloaded again or
          // deleted, across a restart too. A cancel is not a failure.
          this.#downloads.delete(downloadId);
          await this.#manifest.setFailure(modelId, error.code === "cancelled" ? null : error.message);
        },
      },
    );
    // The outcome reaches the UI as the final "models.progress" event and models.list; nobody awaits this.
    done.catch(() => undefined);
    return { downloadId };
  }

  async #delete(id: string): Promise<{ deleted: true }> {
    if ([...this.#downloads.values()].includes(id)) {
      throw new EngramError("conflict", "This model is downloading: cancel the download first.");
    }
    const installed = this.#manifest.get(id);
    if (!installed) {
      // A download that failed is listed (status failed) until it is deleted: forget it and what it left behind.
      if (this.#manifest.failure(id) === undefined && !this.#pendingCustom.has(id)) {
        throw new NotFoundError("Installed model", id);
      }
      await rm(this.#ownFolder(id), { recursive: true, force: true });
      await this.#manifest.setFailure(id, null);
      this.#pendingCustom.delete(id);
      return { deleted: true };
    }
    await this.#active.unloadIfActive(id);
    // Imported files belong to the user: forget them, never delete them. Downloads live in our folder.
    if (installed.source !== "import") await rm(this.#ownFolder(id), { recursive: true, force: true });
    await this.#manifest.remove(id);
    return { deleted: true };
  }

  /** A model's folder under ours, refusing an id that would lead elsewhere. */
  #ownFolder(id: string): string {
    const folder = resolve(this.#modelsDirectory, id);
    if (!folder.startsWith(resolve(this.#modelsDirectory) + sep)) throw new BadInputError("Bad model id.");
    return folder;
  }

  async #use(id: string): Promise<{ models: ModelEntry[] }> {
    const installed = this.#manifest.get(id);
    if (!installed) throw new NotFoundError("Installed model", id);
    // A local chat model replaces the OpenAI-compatible endpoint, or the next settings change would bring it back.
    const choice: ModelChoice =
      installed.kind === "chat" ? { chatModelId: id, openAiEndpoint: null } : { embedderId: id };
    // The engine applies the choice before saving it and refuses one that does not load (the old model stays).
    await this.#options.onModelChosen?.(choice);
    if (!this.#isActive(id)) {
      // Not loaded yet: this service runs without an engine, or the settings already named this model and it failed
      // before (a retry). Load it here, refusing a failure the same way.
      const current = this.#settings ?? defaultSettings;
      const next: Settings =
        installed.kind === "chat"
          ? { ...current, chatModelId: id, openAiEndpoint: undefined }
          : { ...current, embedderId: id };
      await this.#active.apply(next, { refuseFailure: true, refuseUnchanged: true });
      this.#settings = next;
    }
    return { models: this.#list() };
  }

  async #import(path: string): Promise<ModelEntry> {
    const absolute = resolve(path);
    if (!absolute.toLowerCase().endsWith(".gguf")) throw new BadInputError("Pick a .gguf model file.");
    // Refuses, with one message, anything that is not a regular file holding a complete GGUF header.
    const { info, sizeBytes } = await readGgufModelFile(absolute);
    const general = (info.metadata as { general?: { name?: string } }).general;
    const id = `local-${slug(basename(absolute, ".gguf"))}`;
    const installed: InstalledModel = {
      id,
      name: typeof general?.name === "string" ? general.name : basename(absolute),
      kind: "chat",
      path: absolute,
      sizeBytes,
      source: "import",
      installedAt: new Date().toISOString(),
    };
    await this.#manifest.put(installed);
    const entry = this.#list().find((candidate) => candidate.id === id);
    if (!entry) throw new EngramError("internal", "The imported model vanished.");
    return entry;
  }

  async dispose(): Promise<void> {
    await this.#downloader.dispose();
    this.#scheduler.rejectQueued(new EngramError("cancelled", "The app is closing."));
    await this.#client.dispose();
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "model"
  );
}
