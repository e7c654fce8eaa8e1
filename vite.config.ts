// Builds the renderer (renderer/) into build/renderer, which the headless server and Electron's app:// protocol serve.
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { contentSecurityPolicy } from "./core/server/contentSecurityPolicy.ts";

/**
 * Writes the app's CSP into index.html as well, from the same string the server and Electron send as a header, so a
 * page opened some other way (a saved copy, a dev server) is still locked down. frame-ancestors is header-only.
 */
function contentSecurityPolicyMeta(): Plugin {
  const policy = contentSecurityPolicy
    .split("; ")
    .filter((directive) => !directive.startsWith("frame-ancestors"))
    .join("; ");
  return {
    name: "engram-content-security-policy",
    transformIndexHtml: () => [
      { tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: policy }, injectTo: "head-prepend" },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL("./renderer/", import.meta.url)),
  base: "/",
  plugins: [react(), contentSecurityPolicyMeta()],
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./build/renderer/", import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline script: keep even tiny assets as files rather than data: URLs in scripts.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
    // Served from this computer (the headless server or Electron's app:// protocol), never over a network: a chunk
    // of a megabyte loads in milliseconds, so the default 500 kB warning does not apply.
    chunkSizeWarningLimit: 1024,
  },
});
