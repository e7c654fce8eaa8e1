import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine, type EngineOptions } from "../../core/engine.ts";

/** Opens an engine on a fresh temporary data folder, disposed and deleted when the test ends. */
export async function openTempEngine(
  t: { after: (fn: () => Promise<void>) => void },
  options: Partial<EngineOptions> = {},
): Promise<{ engine: Engine; dataDir: string }> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "engram-test-")));
  const engine = await Engine.open({ runJobs: false, ...options, dataDir });
  t.after(async () => {
    await engine.dispose();
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return { engine, dataDir };
}
