import type { CallResult } from "../boundary.ts";

/**
 * The one way the MCP tools reach Engram: the contract's dispatch, whether served by an engine in this process or by
 * the headless server of the app that holds the data folder. Both answer the same `{ ok, data } | { ok, error }`.
 */
export interface ContractClient {
  /** Runs a contract method on raw input; every failure comes back as `{ code, message }`. */
  dispatch(method: string, rawInput: unknown): Promise<CallResult>;
}
