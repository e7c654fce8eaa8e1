import { realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export type StaticLookup =
  | { kind: "file"; path: string; contentType: string; immutable: boolean }
  | { kind: "refused"; reason: string }
  /** Not a path this server could ever hold (too long, badly encoded): the request itself is wrong. */
  | { kind: "malformed"; reason: string }
  | { kind: "missing" }
  /** The file system failed (permissions, a loop of links, an I/O error): `code` is the errno name, never a path. */
  | { kind: "unreadable"; code: string };

/** Longest URL path and path segment looked up; longer ones are refused before the file system sees them. */
const maxPathLength = 1024;
const maxSegmentLength = 255;

/**
 * Maps a URL path to a file inside `root` (the built renderer), refusing anything that could step outside it: `..`
 * segments, backslashes, NUL bytes, encoded separators, and symlinks that resolve elsewhere. Shared by the headless
 * server and Electron's protocol handler, so both serve the renderer by the same tested rule.
 */
export async function lookupStaticFile(root: string, urlPath: string): Promise<StaticLookup> {
  if (urlPath.length > maxPathLength) return { kind: "malformed", reason: "Path is too long." };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch (error) {
    if (!(error instanceof URIError)) throw error;
    return { kind: "malformed", reason: "Malformed path." };
  }
  if (!decoded.startsWith("/")) return { kind: "refused", reason: "Path must be absolute." };
  if (/[\\\0]/.test(decoded) || /%2f|%5c/i.test(urlPath))
    return { kind: "refused", reason: "Path has a forbidden character." };
  const segments = decoded.split("/").filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === ".." || segment === ".")) {
    return { kind: "refused", reason: "Path steps outside the app." };
  }
  if (segments.some((segment) => segment.length > maxSegmentLength)) {
    return { kind: "malformed", reason: "Path is too long." };
  }
  // Hidden files (editor leftovers, .DS_Store) are never part of the app.
  if (segments.some((segment) => segment.startsWith("."))) return { kind: "missing" };

  const relative = segments.length === 0 ? "index.html" : segments.join(sep);
  let rootReal: string;
  let fileReal: string;
  let isFile: boolean;
  try {
    rootReal = await realpath(root);
    fileReal = await realpath(join(rootReal, relative));
    if (!fileReal.startsWith(rootReal + sep)) return { kind: "refused", reason: "Path resolves outside the app." };
    isFile = (await stat(fileReal)).isFile();
  } catch (error) {
    // Node's file system errors name the path they failed on (the install folder): only the errno name goes on.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string") throw error;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "ENAMETOOLONG") return { kind: "malformed", reason: "Path is too long." };
    return { kind: "unreadable", code };
  }
  if (!isFile) return { kind: "missing" };
  return {
    kind: "file",
    path: fileReal,
    contentType: contentTypes[extname(fileReal).toLowerCase()] ?? "application/octet-stream",
    // Vite names built assets by content hash, so they never change under the same name.
    immutable: segments[0] === "assets",
  };
}
