// Lint: TypeScript rules plus the import directions of DESIGN.md, so a layer cannot reach one it must not know.
import tseslint from "typescript-eslint";
import importPlugin from "eslint-plugin-import";

const nodeBuiltins = ["fs", "path", "os", "child_process", "http", "net", "crypto", "worker_threads", "url", "stream"];
const nodeImports = nodeBuiltins.flatMap((name) => [name, `node:${name}`, `node:${name}/*`, `${name}/*`]);

export default tseslint.config(
  { ignores: ["node_modules/**", "build/**", "dist/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: { "import/resolver": { node: { extensions: [".ts", ".tsx", ".js"] } } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            // core is the bottom layer: nothing of ours above it.
            { target: "./core", from: "./electron", message: "core must not import electron/." },
            { target: "./core", from: "./renderer", message: "core must not import renderer/." },
            // The contract imports nothing but zod, so the renderer can import it.
            { target: "./core/api", from: "./core", except: ["./api"], message: "core/api imports only zod." },
            // The renderer talks to the app only through the contract's types and schemas.
            { target: "./renderer", from: "./core", except: ["./api"], message: "renderer imports only core/api." },
            { target: "./renderer", from: "./electron", message: "renderer must not import electron/." },
          ],
        },
      ],
    },
  },
  {
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "electron", message: "core runs headless: no Electron import." },
            { name: "react", message: "core has no UI." },
            { name: "react-dom", message: "core has no UI." },
          ],
        },
      ],
      "no-restricted-globals": ["error", "window", "document", "navigator", "localStorage"],
    },
  },
  {
    files: ["core/api/**/*.ts", "renderer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "electron", message: "No Electron here." }],
          patterns: [
            { group: nodeImports, message: "No Node built-ins here: this code runs in the browser." },
            { group: ["@lancedb/*", "node-llama-cpp", "@huggingface/*"], message: "Engine libraries belong in core." },
          ],
        },
      ],
    },
  },
);
