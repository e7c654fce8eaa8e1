import { z } from "zod";
import type { Conversation, McpClient, McpNeed, MethodInput, MethodName, MethodOutput } from "../api/index.ts";

/** What a tool may use while it runs: the client that called, and the contract (a failure throws EngramError). */
export interface ToolContext {
  readonly client: McpClient;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/** A tool's answer: text for the model, and the same as data for programs. */
export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
}

/** One MCP tool: its schema is made of the contract's own field schemas, and it runs by calling contract methods. */
export interface EngramTool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  /** Written for a model choosing a tool: what it is for, when to use it, what comes back. */
  description: string;
  needs: McpNeed;
  input: Shape;
  run(args: z.output<z.ZodObject<Shape>>, context: ToolContext): Promise<ToolAnswer>;
}

/** Declares a tool with its argument types checked against its schema, then keeps it in a list of tools. */
export const defineTool = <Shape extends z.ZodRawShape>(tool: EngramTool<Shape>): EngramTool =>
  tool as unknown as EngramTool;

/** Conversation titles by id, to say where a memory came from. */
export async function conversationTitles(context: ToolContext): Promise<Map<string, string>> {
  const { conversations } = await context.call("conversations.list", {});
  return new Map(conversations.map((conversation: Conversation) => [conversation.id, conversation.title]));
}
