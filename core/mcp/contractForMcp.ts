import { HeadlessServer } from "../server/headlessServer.ts";
import type { EngineLike } from "../server/engineLike.ts";
import { writeServerAdvert } from "./serverAdvert.ts";

/** The loopback server that lets Engram's MCP server reach an app's engine, and its advert. */
export interface ContractForMcp {
  /** Removes the advert, then stops the server once its requests are answered. */
  dispose(): Promise<void>;
}

/**
 * For the desktop app, which serves the renderer over IPC only: serves the contract (API only, no renderer) on
 * 127.0.0.1 with a fresh token, and writes `<dataDir>/server.json` so `Engram --mcp` or `npm run mcp` goes through
 * this engine instead of opening the folder a second time. Call it only once the engine holds the folder, so a
 * refused start never overwrites the advert of the process that holds it. Consent is checked by the engine, per call.
 */
export async function serveContractForMcp(engine: EngineLike, dataDir: string): Promise<ContractForMcp> {
  const server = await HeadlessServer.start({ engine });
  let removeAdvert: () => Promise<void>;
  try {
    removeAdvert = await writeServerAdvert(dataDir, { url: server.origin, token: server.token, pid: process.pid });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    async dispose() {
      await removeAdvert();
      await server.close();
    },
  };
}
