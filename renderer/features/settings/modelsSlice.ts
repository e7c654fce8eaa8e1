import type { EventPayload, ModelEntry } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export type DownloadProgress = EventPayload<"models.progress">;
export type ModelHostStatus = EventPayload<"models.status">;

export interface ModelsSlice {
  /** The catalog and the installed models, as models.list returns them. */
  models: ModelEntry[];
  /** Id of the chat model that answers; null when there is none; undefined until first loaded. */
  chatModelId: string | null | undefined;
  /** The last state the model host reported (loading, ready, crashed...). */
  modelHost: ModelHostStatus | null;
  /** Downloads in progress, by model id. */
  downloads: Record<string, DownloadProgress>;
  /** The model being loaded or imported at the user's request ("import" while a file is read). */
  modelBusy: string | null;
  /** Why the last model action failed, shown in the models section of the settings. */
  modelError: string | null;
  loadModels(): Promise<void>;
  downloadModel(id: string): Promise<void>;
  /** Downloads a .gguf from an address the user gives (a mirror, a local server), checked against a sha256 if known. */
  downloadModelFromUrl(request: { url: string; name: string; sha256?: string }): Promise<boolean>;
  cancelDownload(downloadId: string): Promise<void>;
  /** Makes an installed model the one in use (chat model or embedder). */
  chooseModel(id: string): Promise<boolean>;
  /** Registers a .gguf file on this computer and uses it as the chat model. */
  chooseModelFile(path: string): Promise<boolean>;
  /** True in the desktop app, where the system's file dialog picks a model file (headless, the path is typed). */
  desktop: boolean;
  /** Desktop only: the system's file dialog picks a .gguf, which is imported and used as the chat model. */
  pickModelFile(): Promise<boolean>;
  receiveModelProgress(progress: DownloadProgress): void;
  receiveModelStatus(status: ModelHostStatus): void;
}

const settled = new Set<DownloadProgress["status"]>(["done", "failed", "cancelled"]);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createModelsSlice =
  (client: ApiClient): SliceCreator<ModelsSlice> =>
  (set, get) => ({
    models: [],
    chatModelId: undefined,
    modelHost: null,
    downloads: {},
    modelBusy: null,
    modelError: null,
    desktop: client.desktop,

    async loadModels() {
      try {
        const [{ models }, stats] = await Promise.all([client.call("models.list", {}), client.call("stats.get", {})]);
        set({ models, chatModelId: stats.chatModel, stats });
      } catch (error) {
        get().showNotice(error);
      }
    },

    async downloadModel(id) {
      set({ modelError: null });
      try {
        const { downloadId } = await client.call("models.download", { id });
        // Shows the row as downloading at once; progress events fill in the numbers.
        set((state) => ({
          downloads: {
            ...state.downloads,
            [id]: state.downloads[id] ?? {
              downloadId,
              modelId: id,
              receivedBytes: 0,
              totalBytes: state.models.find((model) => model.id === id)?.sizeBytes ?? 0,
              bytesPerSecond: 0,
              etaSeconds: null,
              status: "downloading",
            },
          },
        }));
      } catch (error) {
        set({ modelError: describe(error) });
      }
    },

    async downloadModelFromUrl({ url, name, sha256 }) {
      set({ modelError: null });
      try {
        await client.call("models.download", { url, name, ...(sha256 ? { sha256 } : {}) });
      } catch (error) {
        set({ modelError: describe(error) });
        return false;
      }
      // The new entry is listed as downloading; its progress events fill in the bar.
      await get().loadModels();
      return true;
    },

    async cancelDownload(downloadId) {
      try {
        await client.call("models.cancel", { downloadId });
      } catch (error) {
        set({ modelError: describe(error) });
      }
    },

    async chooseModel(id) {
      set({ modelBusy: id, modelError: null });
      try {
        const { models } = await client.call("models.use", { id });
        set({ models });
        await get().loadModels();
        return true;
      } catch (error) {
        set({ modelError: describe(error) });
        return false;
      } finally {
        set({ modelBusy: null });
      }
    },

    async chooseModelFile(path) {
      set({ modelBusy: "import", modelError: null });
      let entry;
      try {
        entry = await client.call("models.import", { path });
      } catch (error) {
        set({ modelError: describe(error), modelBusy: null });
        return false;
      }
      return get().chooseModel(entry.id);
    },

    async pickModelFile() {
      set({ modelBusy: "import", modelError: null });
      let model;
      try {
        ({ model } = await client.call("app.chooseModelFile", {}));
      } catch (error) {
        set({ modelError: describe(error), modelBusy: null });
        return false;
      }
      if (!model) {
        set({ modelBusy: null });
        return false;
      }
      return get().chooseModel(model.id);
    },

    receiveModelProgress(progress) {
      const { modelId } = progress;
      if (!settled.has(progress.status)) {
        set((state) => ({ downloads: { ...state.downloads, [modelId]: progress } }));
        return;
      }
      set((state) => {
        const { [modelId]: _finished, ...downloads } = state.downloads;
        const name = state.models.find((model) => model.id === modelId)?.name ?? modelId;
        return progress.status === "failed"
          ? { downloads, modelError: `Downloading ${name} failed: ${progress.error ?? "unknown error"}` }
          : { downloads };
      });
      if (progress.status === "done") void chooseDownloadedModel(get, modelId);
      else void get().loadModels();
    },

    receiveModelStatus(status) {
      set({ modelHost: status });
      if (status.state !== "loading") void get().loadModels();
    },
  });

/**
 * After a download, the list is reloaded (the model is recorded as installed just after its last progress event, so
 * one retry covers that gap) and a downloaded chat model is put to use when none answers yet: the user who clicked
 * Download wants to chat.
 */
async function chooseDownloadedModel(get: () => ModelsSlice, modelId: string): Promise<void> {
  const installed = () => get().models.find((model) => model.id === modelId && model.installed);
  await get().loadModels();
  if (!installed()) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await get().loadModels();
  }
  const model = installed();
  if (model?.kind === "chat" && get().chatModelId === null) await get().chooseModel(modelId);
}
