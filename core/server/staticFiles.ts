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
  | { kind: "missing" };

/**
 * Maps a URL path to a file inside `root` (the built renderer), refusing anything that could step outside it: `..`
 * segments, backslashes, NUL bytes, encoded separators, and symlinks that resolve elsewhere. Shared by the headless
 * server and Electron's protocol handler, so both serve the renderer by the same tested rule.
 */
export async function lookupStaticFile(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch (error) {
    return { kind: "refused", reason: `Malformed path: ${(error as Error).message}` };
  }
  if (!decoded.startsWith("/")) return { kind: "refused", reason: "Path must be absolute." };
  if (/[\\\0]/.test(decoded) || /%2f|%5c/i.test(urlPath))
    return { kind: "refused", reason: "Path has a forbidden character." };
  const segments = decoded.split("/").filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === ".." || segment === ".")) {
    return { kind: "refused", reason: "Path steps outside the app." };
  }
  // Hidden files (editor leftovers, .DS_Store) are never part of the app.
  if (segments.some((segment) => segment.startsWith("."))) return { kind: "missing" };

  const relative = segments.length === 0 ? "index.html" : segments.join(sep);
  let rootReal: string;
  let fileReal: string;
  try {
    rootReal = await realpath(root);
    fileReal = await realpath(join(rootReal, relative));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") {
      return { kind: "missing" };
    }
    throw error;
  }
  if (!fileReal.startsWith(rootReal + sep)) return { kind: "refused", reason: "Path resolves outside the app." };
  const info = await stat(fileReal);
  if (!info.isFile()) return { kind: "missing" };
  return {
    kind: "file",
    path: fileReal,
    contentType: contentTypes[extname(fileReal).toLowerCase()] ?? "application/octet-stream",
    // Vite names built assets by content hash, so they never change under the same name.
    immutable: segments[0] === "assets",
  };
}
