import { replyEnvelope } from "../api/index.ts";
import { z } from "zod";
import type { CallResult } from "../boundary.ts";
import { EngramError } from "../errors.ts";
import type { ContractClient } from "./contractClient.ts";
import type { ServerAdvert } from "./serverAdvert.ts";

const reply = replyEnvelope(z.unknown());

/** Nobody answered at the advertised address: the advert is stale, and nothing was sent. */
export class ServerUnreachableError extends EngramError {
  constructor(url: string, options?: { cause?: unknown }) {
    super("internal", `No Engram answers at ${url}.`, options);
    this.name = "ServerUnreachableError";
  }
}

/** The contract over the loopback HTTP server (`POST /api/<method>` with the bearer token), as the headless server serves it. */
export class HttpContractClient implements ContractClient {
  readonly #advert: ServerAdvert;

  constructor(advert: ServerAdvert) {
    this.#advert = advert;
  }

  async dispatch(method: string, rawInput: unknown): Promise<CallResult> {
    let response: Response;
    try {
      response = await fetch(`${this.#advert.url}/api/${encodeURIComponent(method)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.#advert.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(rawInput ?? {}),
      });
    } catch (error) {
      // Refused means the request never reached a server, so the caller may safely go elsewhere; any other network
      // failure may have happened after the server acted, so it is reported, never retried.
      if (connectionRefused(error)) throw new ServerUnreachableError(this.#advert.url, { cause: error });
      throw error;
    }
    if (response.status === 401) {
      // Another process answers at that port (the advert outlived its server): as good as refused.
      throw new ServerUnreachableError(this.#advert.url);
    }
    const parsed = reply.safeParse(parseJson(await response.text()));
    if (!parsed.success) {
      throw new EngramError("internal", `Engram at ${this.#advert.url} answered ${response.status} with no reply.`);
    }
    return parsed.data.ok ? { ok: true, data: parsed.data.data } : { ok: false, error: parsed.data.error };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === "ECONNREFUSED";
}
