import { readFile } from "node:fs/promises";
import type { CustomScheme } from "electron";
import { securityHeaders } from "../core/server/contentSecurityPolicy.ts";
import { lookupStaticFile } from "../core/server/staticFiles.ts";

/**
 * The renderer is served from a custom `engram://app/` scheme rather than file://, as Electron's security checklist
 * advises: it gives the app its own origin (so 'self' in the CSP means only the app), lets every response carry the
 * CSP header, and keeps file:// (the whole disk) out of reach.
 */
export const appScheme = "engram";
export const appHost = "app";
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

/** Registered before the app is ready: "standard" gives the scheme real origins, "secure" a secure context. */
export const appSchemePrivileges: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Whether `url` is a page of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/** Answers one request of the app scheme from the built renderer, with the same rules and headers as the server. */
export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  if (!isAppUrl(request.url)) return new Response("Not found.", { status: 404 });
  if (request.method !== "GET") return new Response("Method not allowed.", { status: 405 });
  const found = await lookupStaticFile(rendererDir, new URL(request.url).pathname);
  if (found.kind === "refused") return new Response("Refused.", { status: 403, headers: securityHeaders });
  if (found.kind === "malformed") return new Response("Bad request.", { status: 400, headers: securityHeaders });
  if (found.kind !== "file") return new Response("Not found.", { status: 404, headers: securityHeaders });
  const body = await readFile(found.path);
  return new Response(body, { status: 200, headers: { ...securityHeaders, "Content-Type": found.contentType } });
}
