import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiError } from "../api/index.ts";
import type { CallResult } from "../boundary.ts";
import { toApiError } from "../errors.ts";
import { securityHeaders } from "./contentSecurityPolicy.ts";
import type { EngineLike } from "./engineLike.ts";
import { EventStreamHub } from "./eventStream.ts";
import { httpStatusOfErrorCode } from "./httpStatus.ts";
import { readRequestBody } from "./requestBody.ts";
import { hasBearerToken, isOwnHost, isOwnOriginOrAbsent } from "./requestGuard.ts";
import { lookupStaticFile, type StaticLookup } from "./staticFiles.ts";

/** Default request body limit: a maximal chat message or a few thousand ingested turns fit; a runaway upload does not. */
export const defaultMaxBodyBytes = 8 * 1024 * 1024;

/** The loopback address the server binds. Never configurable: the API must not be reachable from the network. */
export const loopbackHost = "127.0.0.1";

export interface HeadlessServerOptions {
  /** The engine whose contract is served. The server never disposes it: whoever opened it does. */
  engine: EngineLike;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Folder of the built renderer (index.html and assets/); absent means API only. */
  rendererDir?: string;
  /** The bearer token; a fresh random one when absent. */
  token?: string;
  maxBodyBytes?: number;
  /** Interval of keep-alive comments on event streams. */
  heartbeatMs?: number;
}

const apiHeaders: Readonly<Record<string, string>> = {
  ...securityHeaders,
  "Cache-Control": "no-store",
};

/**
 * The contract over HTTP on 127.0.0.1: `POST /api/<method>` with a JSON body, `GET /api/events` as server-sent events,
 * and the built renderer as static files. Every request must name this server in Host (and Origin, when sent), and
 * every API request must carry `Authorization: Bearer <token>`, the event stream included: the renderer reads the
 * stream with fetch() so the token never appears in a URL, a log or the browser history.
 */
export class HeadlessServer {
  readonly token: string;
  readonly #server: Server;
  readonly #hub: EventStreamHub;
  readonly #options: HeadlessServerOptions;
  readonly #maxBodyBytes: number;
  #port = 0;
  #closing: Promise<void> | null = null;
  readonly #reportedStaticFailures = new Set<string>();

  private constructor(options: HeadlessServerOptions) {
    this.#options = options;
    this.token = options.token ?? randomBytes(32).toString("base64url");
    this.#maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.#hub = new EventStreamHub(options.engine.events, { heartbeatMs: options.heartbeatMs });
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => this.#fail(response, error));
    });
  }

  /** Starts listening on 127.0.0.1 and resolves once the port is bound. */
  static async start(options: HeadlessServerOptions): Promise<HeadlessServer> {
    const server = new HeadlessServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once("error", reject);
      server.#server.listen(options.port ?? 0, loopbackHost, () => {
        server.#server.off("error", reject);
        resolve();
      });
    });
    server.#port = (server.#server.address() as AddressInfo).port;
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** The server's origin, without the token. */
  get origin(): string {
    return `http://${loopbackHost}:${this.#port}`;
  }

  /** The address to open: the renderer reads the token from the fragment, which browsers never send to a server. */
  get url(): string {
    return `${this.origin}/#token=${this.token}`;
  }

  /** Number of open event streams (for tests and diagnostics). */
  get eventStreamCount(): number {
    return this.#hub.clientCount;
  }

  /**
   * Stops accepting connections, ends event streams, and resolves once in-flight requests have been answered, so the
   * caller can dispose the engine afterwards without cutting a write short.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      this.#hub.dispose();
      this.#server.closeIdleConnections();
    });
    return this.#closing;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request.headers.host, this.#port)) {
      return this.#reply(response, 403, { code: "forbidden", message: "This server answers only to its own address." });
    }
    if (!isOwnOriginOrAbsent(request.headers.origin, this.#port)) {
      return this.#reply(response, 403, { code: "forbidden", message: "Requests from other origins are refused." });
    }
    // The raw path, not a URL-normalised one: normalising would silently turn "/a/../b" into "/b".
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path === "/api" || path.startsWith("/api/")) return this.#handleApi(request, response, path.slice(5));
    return this.#handleStatic(request, response, path);
  }

  async #handleApi(request: IncomingMessage, response: ServerResponse, route: string): Promise<void> {
    if (!hasBearerToken(request.headers, this.token)) {
      response.setHeader("WWW-Authenticate", 'Bearer realm="engram"');
      return this.#reply(response, 401, { code: "unauthorized", message: "Missing or wrong token." });
    }
    if (route === "events") {
      if (request.method !== "GET") return this.#methodNotAllowed(response, "GET");
      return this.#hub.open(response, apiHeaders);
    }
    if (request.method !== "POST") return this.#methodNotAllowed(response, "POST");

    const body = await readRequestBody(request, this.#maxBodyBytes);
    if (body.kind === "dropped") {
      console.error(
        `Engram server: a client closed its request to /api/${route} before sending it whole (${body.reason}).`,
      );
      return;
    }
    if (body.kind === "too_large") {
      const message = `The request body is larger than ${body.limit} bytes.`;
      // Whatever is left of the body is never read: the connection ends after the reply instead.
      response.setHeader("Connection", "close");
      response.once("finish", () => request.socket.destroySoon());
      return this.#reply(response, 413, { code: "payload_too_large", message });
    }
    let input: unknown = {};
    if (body.text.trim().length > 0) {
      const contentType = request.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(contentType)) {
        return this.#reply(response, 415, { code: "bad_input", message: "The body must be application/json." });
      }
      try {
        input = JSON.parse(body.text);
      } catch (error) {
        return this.#reply(response, 400, { code: "bad_input", message: `Invalid JSON: ${(error as Error).message}` });
      }
    }
    let method: string;
    try {
      method = decodeURIComponent(route);
    } catch (error) {
      return this.#reply(response, 400, {
        code: "bad_input",
        message: `Malformed method: ${(error as Error).message}`,
      });
    }
    const result = await this.#options.engine.dispatch(method, input);
    this.#send(response, result.ok ? 200 : httpStatusOfErrorCode[result.error.code], result);
  }

  async #handleStatic(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (request.method !== "GET" && request.method !== "HEAD") return this.#methodNotAllowed(response, "GET, HEAD");
    const root = this.#options.rendererDir;
    let found: StaticLookup;
    try {
      found = root ? await lookupStaticFile(root, path) : { kind: "missing" };
    } catch (error) {
      found = { kind: "unreadable", code: error instanceof Error ? error.name : "unknown" };
    }
    if (found.kind === "refused") return this.#text(response, 403, `Refused: ${found.reason}`);
    if (found.kind === "malformed") return this.#text(response, 400, `Bad request: ${found.reason}`);
    if (found.kind === "unreadable") {
      this.#reportStaticFailure(found.code);
      return this.#text(response, 404, "Not found.");
    }
    if (found.kind === "missing") {
      const hint = path === "/" ? " The renderer is not built: run `npm run build:renderer`." : "";
      return this.#text(response, 404, `Not found.${hint}`);
    }
    response.writeHead(200, {
      ...securityHeaders,
      "Content-Type": found.contentType,
      "Cache-Control": found.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (request.method === "HEAD") return void response.end();
    const stream = createReadStream(found.path);
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.#reportStaticFailure(error.code ?? error.name);
      response.destroy();
    });
    stream.pipe(response);
  }

  /**
   * One short line per kind of failure for the life of the server: a page requesting a broken file in a loop must not
   * fill the log, and the line names the errno only (Node's messages carry the install path).
   */
  #reportStaticFailure(code: string): void {
    if (this.#reportedStaticFailures.has(code)) return;
    this.#reportedStaticFailures.add(code);
    console.error(`Engram server: a renderer file could not be read (${code}); answered 404.`);
  }

  #methodNotAllowed(response: ServerResponse, allow: string): void {
    response.setHeader("Allow", allow);
    this.#reply(response, 405, { code: "bad_input", message: `Use ${allow}.` });
  }

  #reply(response: ServerResponse, status: number, error: ApiError): void {
    this.#send(response, status, { ok: false, error });
  }

  #send(response: ServerResponse, status: number, result: CallResult): void {
    const body = JSON.stringify(result);
    response.writeHead(status, {
      ...apiHeaders,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
    });
    response.end(body);
  }

  #text(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8" });
    response.end(text);
  }

  /** A fault in the server itself (not a failed call, which dispatch already mapped): report it as internal. */
  #fail(response: ServerResponse, error: unknown): void {
    console.error("Engram server: request failed:", error);
    if (response.headersSent) response.destroy(error instanceof Error ? error : undefined);
    else this.#reply(response, 500, toApiError(error));
  }
}
