/**
 * `npm run serve -- [--data DIR] [--port N] [--model FILE.gguf]`: the engine over HTTP on 127.0.0.1. Prints exactly one
 * line on stdout, `Engram listening on http://127.0.0.1:PORT/#token=TOKEN`, which outside tools parse; everything else
 * goes to stderr.
 */
import { EngramError } from "../errors.ts";
import { parseLaunchArguments, usage } from "./cliArguments.ts";

try {
  const options = parseLaunchArguments(process.argv.slice(2));
  if (options.help) console.log(usage);
  // Loaded only when serving, so --help and option errors answer without opening the engine's native modules.
  else await (await import("./runHeadless.ts")).runHeadless(options);
} catch (error) {
  console.error(`Engram: ${error instanceof EngramError ? error.message : String((error as Error).stack ?? error)}`);
  // 2: what the user gave was wrong (a bad option, a --model file that is missing or not a model); 1: a fault.
  process.exitCode = error instanceof EngramError && (error.code === "bad_input" || error.code === "not_found") ? 2 : 1;
}
