import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BadInputError } from "../errors.ts";

export interface LaunchOptions {
  /** Folder holding the app's database and downloaded models. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** A GGUF file to use as the chat model instead of the installed default. */
  modelFile?: string;
  help: boolean;
}

export const usage = `Usage: npm run serve -- [--data DIR] [--port N] [--model FILE.gguf]

  --data DIR         data folder (default: the desktop app's, ${defaultDataDir()})
  --port N           port on 127.0.0.1 (default: a free one)
  --model FILE.gguf  chat model to load instead of the installed default`;

/**
 * The desktop app's data folder (Electron's userData path plus "data"), so the headless server and the desktop app
 * see the same memories by default. Run one of them at a time on the same folder.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = homedir();
  const base =
    platform === "darwin"
      ? join(home, "Library", "Application Support")
      : platform === "win32"
        ? (env.APPDATA ?? join(home, "AppData", "Roaming"))
        : (env.XDG_CONFIG_HOME ?? join(home, ".config"));
  return join(base, "Engram", "data");
}

/**
 * Parses the launch options shared by `npm run serve` and the desktop app (`--data`, `--model`). Unknown options are
 * ignored when `strict` is false, because Electron and Chromium add their own switches to argv.
 */
export function parseLaunchArguments(
  argv: readonly string[],
  options: { strict?: boolean; defaultDataDir?: string } = {},
): LaunchOptions {
  let values: { data?: string; port?: string; model?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: options.strict ?? true,
      allowPositionals: !(options.strict ?? true),
      options: {
        data: { type: "string" },
        port: { type: "string" },
        model: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }) as { values: typeof values });
  } catch (error) {
    throw new BadInputError(`${(error as Error).message}\n${usage}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BadInputError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}.`);
  }
  if (values.model !== undefined && !values.model.toLowerCase().endsWith(".gguf")) {
    throw new BadInputError(`--model must name a .gguf file, not ${JSON.stringify(values.model)}.`);
  }
  return {
    dataDir: resolve(typeof values.data === "string" ? values.data : (options.defaultDataDir ?? defaultDataDir())),
    port,
    modelFile: typeof values.model === "string" ? resolve(values.model) : undefined,
    help: values.help === true,
  };
}
