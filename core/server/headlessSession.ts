import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Engine } from "../engine.ts";
import type { LaunchOptions } from "./cliArguments.ts";
import { HeadlessServer } from "./headlessServer.ts";
import { readGgufHeader } from "../model/ggufFile.ts";
import { localModels } from "../model/localModels.ts";
import { writeServerAdvert } from "../mcp/serverAdvert.ts";

/** Where `npm run build:renderer` puts the renderer, relative to this file in the source tree. */
export const defaultRendererDir = fileURLToPath(new URL("../../build/renderer/", import.meta.url));

/** A running headless app: the engine and the server in front of it, shut down together. */
export interface HeadlessSession {
  readonly server: HeadlessServer;
  readonly engine: Engine;
  /** Stops accepting requests, lets in-flight ones finish, then disposes the engine (which finishes its writes). */
  dispose(): Promise<void>;
}

/** Opens the engine on `options.dataDir` and serves it; used by `npm run serve` and by `npm start` without Electron. */
export async function startHeadlessSession(
  options: Pick<LaunchOptions, "dataDir" | "port" | "modelFile">,
  extra: { rendererDir?: string; token?: string } = {},
): Promise<HeadlessSession> {
  // A --model that is missing or not a GGUF is refused before anything is created or opened.
  if (options.modelFile) await readGgufHeader(options.modelFile);
  await mkdir(options.dataDir, { recursive: true });
  const engine = await Engine.open({
    dataDir: options.dataDir,
    lock: { purpose: "Engram's headless server" },
    models: localModels(options.modelFile ? { modelFile: options.modelFile } : {}),
  });
  let server: HeadlessServer;
  try {
    server = await HeadlessServer.start({
      engine,
      port: options.port,
      rendererDir: extra.rendererDir ?? defaultRendererDir,
      token: extra.token,
    });
  } catch (error) {
    await engine.dispose();
    throw error;
  }
  let removeAdvert: () => Promise<void>;
  try {
    // Tells Engram's MCP server (another process) where to reach this engine instead of opening the folder twice.
    removeAdvert = await writeServerAdvert(options.dataDir, {
      url: server.origin,
      token: server.token,
      pid: process.pid,
    });
  } catch (error) {
    await server.close();
    await engine.dispose();
    throw error;
  }
  let disposing: Promise<void> | null = null;
  return {
    server,
    engine,
    dispose: () =>
      (disposing ??= (async () => {
        await removeAdvert();
        await server.close();
        await engine.dispose();
      })()),
  };
}
