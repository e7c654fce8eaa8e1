/**
 * `npm run mcp -- [--data DIR]`: Engram's memory as an MCP server on stdin/stdout, for the user's other AI tools
 * (Claude Desktop, Cursor, VS Code...). stdout carries only the protocol; every message goes to stderr.
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { EngramError } from "../errors.ts";
import { defaultDataDir } from "../server/cliArguments.ts";

const usage = `Usage: npm run mcp -- [--data DIR]

  --data DIR   data folder (default: the desktop app's, ${defaultDataDir()})

Speaks the Model Context Protocol on stdin and stdout. Tools are refused until the user allows MCP access in
Engram's settings (read, or read and write).`;

// Anything printed on stdout would corrupt the protocol stream, so a stray console.log goes to stderr instead.
console.log = console.error;

try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { data: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) console.error(usage);
  else {
    // Loaded only when serving, so --help and option errors answer without opening the engine's native modules.
    const { runMcpServer } = await import("./runMcpServer.ts");
    await runMcpServer({ dataDir: resolve(values.data ?? defaultDataDir()) });
  }
} catch (error) {
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`Engram: ${error.message}\n${usage}`);
    process.exitCode = 2;
  } else {
    console.error(`Engram: ${error instanceof EngramError ? error.message : String((error as Error).stack ?? error)}`);
    process.exitCode = 1;
  }
}
