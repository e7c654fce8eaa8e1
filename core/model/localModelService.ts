import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { basename, join, resolve, sep } from "node:path";
import type { ModelEntry, Settings } from "../api/index.ts";
import { BadInputError, EngramError, NotFoundError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import { catalogEntrySize, modelCatalog, type CatalogEntry } from "./catalog.ts";
import { GenerationScheduler } from "./generationScheduler.ts";
import { readGgufHeader } from "./ggufFile.ts";
import { HostedChatModel } from "./hostedChatModel.ts";
import { HostedEmbedder } from "./hostedEmbedder.ts";
import { forkHostSpawner, type HostSpawner } from "./hostSpawner.ts";
import type { ChatModel, Embedder } from "./interfaces.ts";
import { ModelDownloader } from "./modelDownloader.ts";
import { ModelHostClient } from "./modelHostClient.ts";
import { ModelManifest, type InstalledModel } from "./modelManifest.ts";
import type { ModelService } from "./modelService.ts";
import { OpenAiChatModel } from "./openAiChatModel.ts";

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
   * Called after `models.use` switched models, so the engine can persist the choice in its settings (it then calls
   * applySettings, which finds the model already loaded).
   */
  onModelChosen?: (choice: { chatModelId?: string; embedderId?: string }) => Promise<void> | void;
  /** Called after the embedder was loaded, switched or unloaded (the engine then re-embeds in the background). */
  onEmbedderChanged?: () => void;
}

interface ChatLoadKey {
  modelId: string;
  contextSize: number | undefined;
  threads: number | undefined;
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
  #settings: Settings | undefined;
  #chatModel: ChatModel | null = null;
  #chatKey: ChatLoadKey | undefined;
  #embedder: Embedder | null = null;

  private constructor(options: LocalModelServiceOptions, manifest: ModelManifest) {
    this.#options = options;
    this.#modelsDirectory = join(options.dataDir, "models");
    this.#catalog = options.catalog ?? modelCatalog;
    this.#manifest = manifest;
    this.#downloader = new ModelDownloader({
      events: options.events,
      fetch: options.fetch,
      retryDelaysMs: options.retryDelaysMs,
    });
    this.#client = new ModelHostClient({ spawner: options.spawner ?? forkHostSpawner(), events: options.events });
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
    return this.#chatModel;
  }

  embedder(): Embedder | null {
    return this.#embedder;
  }

  /** The host client, for diagnostics and tests (its pid, crash count). */
  get host(): ModelHostClient {
    return this.#client;
  }

  /**
   * Brings the loaded models in line with the settings. A model that fails to load does not throw here (the app
   * must open without a model); the failure is reported as a "models.status" event and the model stays unset.
   */
  async applySettings(settings: Settings): Promise<void> {
    this.#settings = settings;
    try {
      await this.#applyChat(settings);
    } catch (error) {
      this.#reportLoadFailure(error);
    }
    try {
      await this.#applyEmbedder(settings.embedderId);
    } catch (error) {
      this.#reportLoadFailure(error);
    }
  }

  async #applyChat(settings: Settings): Promise<void> {
    if (settings.openAiEndpoint) {
      await this.#unloadChat();
      this.#chatModel = new OpenAiChatModel({ ...settings.openAiEndpoint, fetch: this.#options.fetch });
      return;
    }
    if (this.#chatModel instanceof OpenAiChatModel) this.#chatModel = null;
    const installed = settings.chatModelId ? this.#manifest.get(settings.chatModelId) : undefined;
    if (!installed || installed.kind !== "chat") return this.#unloadChat();
    await this.#loadChat(installed, settings);
  }

  async #loadChat(installed: InstalledModel, settings: Settings | undefined): Promise<void> {
    const key: ChatLoadKey = {
      modelId: installed.id,
      contextSize: settings?.contextSize,
      threads: settings?.threads,
    };
    const same = this.#chatKey && JSON.stringify(this.#chatKey) === JSON.stringify(key) && this.#chatModel;
    if (same) return;
    this.#chatModel = null;
    this.#chatKey = undefined;
    const info = await this.#client.loadModel(installed.id, {
      modelPath: installed.path,
      gpu: true,
      ...(key.contextSize !== undefined ? { contextSize: key.contextSize } : {}),
      ...(key.threads !== undefined ? { threads: key.threads } : {}),
    });
    this.#chatKey = key;
    this.#chatModel = new HostedChatModel({
      id: installed.id,
      contextSize: info.contextSize,
      client: this.#client,
      scheduler: this.#scheduler,
    });
  }

  async #unloadChat(): Promise<void> {
    if (this.#chatModel instanceof HostedChatModel) await this.#client.unloadModel();
    this.#chatModel = null;
    this.#chatKey = undefined;
  }

  async #applyEmbedder(embedderId: string | undefined): Promise<void> {
    const installed = embedderId ? this.#manifest.get(embedderId) : undefined;
    if (this.#embedder?.id === installed?.id) return;
    if (!installed || installed.kind !== "embedding") {
      if (this.#embedder) await this.#client.call({ type: "unloadEmbedder" });
      this.#embedder = null;
      this.#options.onEmbedderChanged?.();
      return;
    }
    this.#embedder = null;
    try {
      const info = (await this.#client.call({
        type: "loadEmbedder",
        options: { directory: installed.path, embedderId: installed.id },
      })) as { dimensions: number };
      this.#embedder = new HostedEmbedder({ id: installed.id, dimensions: info.dimensions, client: this.#client });
    } finally {
      this.#options.onEmbedderChanged?.();
    }
  }

  #reportLoadFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#options.events.emit("models.status", { state: "none", modelId: null, message });
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
    return this.#chatModel?.id === id || this.#embedder?.id === id;
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
      files.map((file) => ({ ...file, target: join(folder, file.path) })),
    );
    done.then(
      async (results) => {
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
      async (error: unknown) => {
        // The outcome already reached the UI as a final "models.progress" event; keep it for models.list too, in the
        // manifest, so the reason is still there after a reload or a restart. A cancel is not a failure.
        const cancelled = error instanceof EngramError && error.code === "cancelled";
        this.#downloads.delete(downloadId);
        await this.#manifest.setFailure(
          modelId,
          cancelled ? null : error instanceof Error ? error.message : String(error),
        );
      },
    );
    return { downloadId };
  }

  async #delete(id: string): Promise<{ deleted: true }> {
    const installed = this.#manifest.get(id);
    if (!installed) throw new NotFoundError("Installed model", id);
    if (this.#chatModel?.id === id) await this.#unloadChat();
    if (this.#embedder?.id === id) await this.#applyEmbedder(undefined);
    // Imported files belong to the user: forget them, never delete them. Downloads live in our folder.
    if (installed.source !== "import") {
      const folder = resolve(this.#modelsDirectory, id);
      if (!folder.startsWith(resolve(this.#modelsDirectory) + sep)) throw new BadInputError("Bad model id.");
      await rm(folder, { recursive: true, force: true });
    }
    await this.#manifest.remove(id);
    return { deleted: true };
  }

  async #use(id: string): Promise<{ models: ModelEntry[] }> {
    const installed = this.#manifest.get(id);
    if (!installed) throw new NotFoundError("Installed model", id);
    if (installed.kind === "chat") {
      await this.#loadChat(installed, this.#settings);
      await this.#options.onModelChosen?.({ chatModelId: id });
    } else {
      await this.#applyEmbedder(id);
      await this.#options.onModelChosen?.({ embedderId: id });
    }
    return { models: this.#list() };
  }

  async #import(path: string): Promise<ModelEntry> {
    const absolute = resolve(path);
    if (!absolute.toLowerCase().endsWith(".gguf")) throw new BadInputError("Pick a .gguf model file.");
    const info = await readGgufHeader(absolute);
    const general = (info.metadata as { general?: { name?: string } }).general;
    const id = `local-${slug(basename(absolute, ".gguf"))}`;
    const sizeBytes = (await stat(absolute)).size;
    const installed: InstalledModel = {
      id,
      name: general?.name ?? basename(absolute),
      kind: "chat",
      path: absolute,
      sizeBytes,
      source: "import",
      installedAt: new Date().toISOString(),
    };
    await this.#manifest.put(installed);
    const entry = this.#list().find((candidate) => candidate.id === id);
    if (!entry || !existsSync(absolute)) throw new EngramError("internal", "The imported model vanished.");
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
