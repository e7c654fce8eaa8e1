import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { EngramError } from "../errors.ts";

export const InstalledModel = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["chat", "embedding"]),
  /** The .gguf file for a chat model; the folder for an embedder. */
  path: z.string(),
  sizeBytes: z.number().nonnegative(),
  /** Where it came from: a catalog entry, a URL the user gave, or a local file imported in place. */
  source: z.enum(["catalog", "url", "import"]),
  url: z.string().optional(),
  /** sha256 of each downloaded file, keyed by path relative to the model folder (computed, or verified if known). */
  sha256: z.record(z.string(), z.string()).optional(),
  installedAt: z.string(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

const ManifestFile = z.object({
  version: z.literal(1),
  models: z.array(InstalledModel),
  /** Why the last download of a model failed, by model id, so the reason is still shown after a restart. */
  failures: z.record(z.string(), z.string()).optional(),
});

/**
 * What is installed under `<dataDir>/models/`, persisted as manifest.json. Written to a temporary file and renamed,
 * so a crash mid-write leaves the previous manifest intact.
 */
export class ModelManifest {
  readonly #path: string;
  readonly #models = new Map<string, InstalledModel>();
  readonly #failures = new Map<string, string>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    this.#path = path;
  }

  static async open(modelsDirectory: string): Promise<ModelManifest> {
    await mkdir(modelsDirectory, { recursive: true });
    const manifest = new ModelManifest(join(modelsDirectory, "manifest.json"));
    let text: string;
    try {
      text = await readFile(manifest.#path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return manifest;
      throw error;
    }
    const parsed = ManifestFile.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new EngramError("internal", `${manifest.#path} is damaged: ${parsed.error.message}`);
    }
    for (const model of parsed.data.models) manifest.#models.set(model.id, model);
    for (const [id, reason] of Object.entries(parsed.data.failures ?? {})) manifest.#failures.set(id, reason);
    return manifest;
  }

  get(id: string): InstalledModel | undefined {
    return this.#models.get(id);
  }

  list(): InstalledModel[] {
    return [...this.#models.values()];
  }

  async put(model: InstalledModel): Promise<void> {
    this.#models.set(model.id, model);
    this.#failures.delete(model.id);
    await this.#save();
  }

  async remove(id: string): Promise<void> {
    this.#models.delete(id);
    this.#failures.delete(id);
    await this.#save();
  }

  /** Why the last download of `id` failed, if it did and has not succeeded since. */
  failure(id: string): string | undefined {
    return this.#failures.get(id);
  }

  /** Records (or, with null, clears) why the last download of `id` failed. */
  async setFailure(id: string, reason: string | null): Promise<void> {
    if (reason === null && !this.#failures.has(id)) return;
    if (reason === null) this.#failures.delete(id);
    else this.#failures.set(id, reason);
    await this.#save();
  }

  /** Writes are chained so two quick changes never interleave their temporary files. */
  #save(): Promise<void> {
    const failures = Object.fromEntries(this.#failures);
    const content = JSON.stringify({ version: 1, models: this.list(), failures }, null, 2);
    this.#writing = this.#writing.then(async () => {
      const temporary = `${this.#path}.${process.pid}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, this.#path);
    });
    return this.#writing;
  }
}
