import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * Whether a request was addressed to this server by its own name. A DNS-rebinding page reaches 127.0.0.1 under a
 * foreign host name, and its requests carry that name in Host; refusing them keeps a web page in the user's browser
 * from reading their memories.
 */
export function isOwnHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const lowered = host.toLowerCase();
  return lowered === `127.0.0.1:${port}` || lowered === `localhost:${port}`;
}

/**
 * Whether the Origin header, when present, is the server's own origin. Browsers send Origin on every cross-origin
 * request and on same-origin POSTs; tools like curl send none, which is fine because they also need the token.
 */
export function isOwnOriginOrAbsent(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const lowered = origin.toLowerCase();
  return lowered === `http://127.0.0.1:${port}` || lowered === `http://localhost:${port}`;
}

/** Compares the bearer token in constant time so the token cannot be guessed byte by byte from response timing. */
export function hasBearerToken(headers: IncomingHttpHeaders, token: string): boolean {
  const header = headers.authorization;
  if (typeof header !== "string") return false;
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
