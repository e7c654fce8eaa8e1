import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { McpAccess } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/** A tool call's answer, as a test reads it. */
export interface ToolReply {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
}

/** A connected SDK client on a spawned `core/mcp/cli.ts`, with its stderr kept for failure messages. */
export interface McpSession {
  client: Client;
  call(name: string, args: Record<string, unknown>): Promise<ToolReply>;
  stderr(): string;
  close(): Promise<void>;
}

/** A fresh data folder whose MCP access is already set, as a user would have set it in the app before. */
export async function dataFolderWithAccess(
  t: { after: (fn: () => Promise<void>) => void },
  access: McpAccess | null,
): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), "engram-mcp-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  if (access) {
    const engine = await Engine.open({ dataDir, runJobs: false });
    await engine.call("settings.update", { mcpAccess: access });
    await engine.dispose();
  }
  return dataDir;
}

/**
 * Starts the MCP server the way a client configured by the README does (`tsx core/mcp/cli.ts --data DIR`) and
 * connects the SDK's own client to it over stdio. When MCP_TRANSCRIPT names a file, every call is appended to it.
 */
export async function connectMcp(
  t: { after: (fn: () => Promise<void>) => void },
  dataDir: string,
  clientName = "Test Assistant",
): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", "core/mcp/cli.ts", "--data", dataDir],
    cwd: root,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
  const client = new Client({ name: clientName, version: "1.0.0" });
  await client.connect(transport);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close();
  };
  t.after(close);
  return {
    client,
    stderr: () => stderr,
    close,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      const content = result.content as { type: string; text?: string }[];
      const text = content.map((part) => part.text ?? "").join("\n");
      const reply: ToolReply = {
        isError: result.isError === true,
        text,
        structured: result.structuredContent as Record<string, unknown> | undefined,
      };
      if (process.env.MCP_TRANSCRIPT) {
        const line = `→ ${name} ${JSON.stringify(args)}\n← ${reply.isError ? "(isError) " : ""}${text}\n\n`;
        await appendFile(process.env.MCP_TRANSCRIPT, line);
      }
      return reply;
    },
  };
}
