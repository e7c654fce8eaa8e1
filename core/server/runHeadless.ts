import type { LaunchOptions } from "./cliArguments.ts";
import { defaultRendererDir, startHeadlessSession } from "./headlessSession.ts";
import { ensureRendererBuilt } from "./rendererBuild.ts";

/** Prefix of the one stdout line outside tools parse to find the server. */
export const listeningLinePrefix = "Engram listening on ";

/**
 * Runs the headless app until SIGINT or SIGTERM: prints the listening line, then on a signal stops accepting
 * requests and disposes the engine so pending writes finish. A second signal exits at once.
 */
export async function runHeadless(options: Pick<LaunchOptions, "dataDir" | "port" | "modelFile">): Promise<void> {
  await ensureRendererBuilt(defaultRendererDir);
  const session = await startHeadlessSession(options);
  console.log(`${listeningLinePrefix}${session.server.url}`);
  console.error(`Engram: data folder ${options.dataDir}. Press Ctrl+C to stop.`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.once(signal, () => process.exit(130));
      console.error(`Engram: ${signal} received, finishing writes...`);
      session.dispose().then(resolve, (error: unknown) => {
        console.error("Engram: shutdown failed:", error);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
