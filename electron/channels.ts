import type { EventName, MethodName } from "../core/api/index.ts";

/**
 * IPC channel names, derived from the contract's method and event names and written nowhere else, so main and preload
 * cannot drift apart.
 */
export const methodChannel = (method: MethodName): string => `engram:call:${method}`;
export const eventChannel = (event: EventName): string => `engram:event:${event}`;
