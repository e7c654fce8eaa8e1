import type { EngramTool } from "./engramTool.ts";
import { listFacts, rememberFact } from "./factTools.ts";
import { addMemoryTool, recentMemories, searchMemory } from "./memoryTools.ts";

/** Every tool Engram's MCP server offers, in the order clients list them. */
export const engramTools: readonly EngramTool[] = [
  searchMemory,
  addMemoryTool,
  recentMemories,
  listFacts,
  rememberFact,
];
