import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { DataFolderConnection } from "./dataFolderConnection.ts";
import { createEngramMcpServer } from "./engramMcpServer.ts";

/**
 * Serves Engram's memory over MCP on this process's stdin and stdout until the client goes away (stdin ends) or a
 * signal arrives; then lets go of the data folder, finishing any write under way. Nothing else may write to stdout.
 */
export async function runMcpServer(options: { dataDir: string }): Promise<void> {
  const connection = new DataFolderConnection({ dataDir: options.dataDir });
  const server = createEngramMcpServer(connection);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  const stop = () => {
    server.close().catch((error: unknown) => console.error("Engram MCP: closing failed:", error));
  };
  process.stdin.once("end", stop);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await server.connect(new StdioServerTransport());
  console.error(`Engram MCP server on ${options.dataDir}: waiting for a client on stdin.`);
  await closed;
  process.stdin.off("end", stop);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  await connection.dispose();
}
