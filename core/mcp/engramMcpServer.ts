import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { McpClient, MethodInput, MethodName, MethodOutput } from "../api/index.ts";
import { EngramError, toApiError } from "../errors.ts";
import type { ContractClient } from "./contractClient.ts";
import type { EngramTool, ToolContext } from "./engramTool.ts";
import { engramTools } from "./engramTools.ts";

/** The name a client is known by when its handshake gave none (the record and the history still show something). */
export const unnamedClient = "unnamed MCP client";

/**
 * The client as the memory will show it: its display title, else its name, from the initialize handshake. It comes
 * from another program, so control characters are dropped and the length is bounded.
 */
export function clientIdentity(info: { name?: string; title?: string; version?: string } | undefined): McpClient {
  const clean = (text: string | undefined, max: number) =>
    (text ?? "")
      .replace(/[\p{Cc}\p{Cf}]/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, max);
  const name = clean(info?.title, 200) || clean(info?.name, 200) || unnamedClient;
  const version = clean(info?.version, 100);
  return version ? { name, version } : { name };
}

/**
 * Builds Engram's MCP server on a contract client: each tool first asks the engine whether the user allows it
 * (which also records the use), then runs its contract calls. Every failure is a tool error result carrying the
 * contract's message, so the calling model reads why.
 */
export function createEngramMcpServer(contract: ContractClient, tools: readonly EngramTool[] = engramTools): McpServer {
  const server = new McpServer(
    { name: "engram", title: "Engram memory", version: "0.1.0" },
    {
      instructions:
        "Engram is the user's private, local long-term memory. Search it before answering questions about the user " +
        "and add to it what is worth remembering. The user decides in Engram whether this app may read or change it.",
    },
  );
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await contract.dispatch(method, input);
    if (!result.ok) throw new EngramError(result.error.code, result.error.message);
    return result.data as MethodOutput<M>;
  };

  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: {
          readOnlyHint: tool.needs === "read",
          destructiveHint: false,
          openWorldHint: false,
        },
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        const client = clientIdentity(server.server.getClientVersion());
        const context: ToolContext = { client, call };
        try {
          await call("mcp.authorize", { client, tool: tool.name, needs: tool.needs });
          const answer = await tool.run(args as never, context);
          return { content: [{ type: "text", text: answer.text }], structuredContent: answer.structured };
        } catch (error) {
          return { content: [{ type: "text", text: toApiError(error).message }], isError: true };
        }
      },
    );
  }
  return server;
}
