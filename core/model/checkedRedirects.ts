import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { EngramError } from "../errors.ts";

/** Redirects followed before a download gives up (Hugging Face needs one or two). */
const maxRedirects = 5;

/** Addresses of this computer and its local networks. */
const localAddresses = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  localAddresses.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  localAddresses.addSubnet(network, prefix, "ipv6");
}

export interface CheckedFetchOptions {
  fetch: typeof fetch;
  /** Checked before every hop: offline mode turned on mid-download stops the next request, redirects included. */
  isOffline: () => boolean;
}

/**
 * Fetches `url`, following redirects one hop at a time and checking each: only http and https, never from https
 * down to http, never from an address on the internet into this computer or its local network (a public .gguf link
 * must not make Engram fetch and install a page of the user's router or of a local service), at most five hops,
 * and none while offline. A refusal says so in one plain sentence, naming neither the addresses nor the status.
 */
export async function fetchWithCheckedRedirects(
  url: string,
  init: RequestInit,
  options: CheckedFetchOptions,
): Promise<Response> {
  let current = new URL(url);
  checkScheme(current);
  const startsLocal = await isLocal(current.hostname);
  for (let hop = 0; ; hop++) {
    if (options.isOffline()) throw offline();
    const response = await options.fetch(current, { ...init, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || location === null) return response;
    await response.body?.cancel();
    if (hop >= maxRedirects) throw refused();
    const next = new URL(location, current);
    checkScheme(next);
    if (current.protocol === "https:" && next.protocol === "http:") throw refused();
    if (!startsLocal && (await isLocal(next.hostname))) throw refused();
    current = next;
  }
}

function checkScheme(url: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refused();
}

/** True when the host is this computer or on its local network (a name is resolved, as the fetch would). */
async function isLocal(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const family = isIP(host);
  if (family !== 0) return localAddresses.check(host, family === 4 ? "ipv4" : "ipv6");
  const addresses = await lookup(host, { all: true }).catch(() => []);
  return addresses.some((address) => localAddresses.check(address.address, address.family === 4 ? "ipv4" : "ipv6"));
}

function refused(): EngramError {
  return new EngramError(
    "download_failed",
    "The download was refused: the server sent it on to an address Engram does not download from.",
  );
}

function offline(): EngramError {
  return new EngramError("forbidden", "Offline mode is on: downloads are disabled. Turn it off in Settings.");
}
