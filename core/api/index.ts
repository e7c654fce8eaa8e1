/**
 * The contract between the engine and every client. Imports nothing but zod, so the renderer may import it.
 */
export * from "./errors.ts";
export * from "./entities.ts";
export * from "./semanticEntities.ts";
export * from "./methods.ts";
export * from "./transferMethods.ts";
export * from "./mcpMethods.ts";
export * from "./events.ts";
export * from "./bridge.ts";
