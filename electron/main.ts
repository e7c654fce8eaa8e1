// The desktop app's main process: one window on the engine, nothing more. Every piece with logic lives in its own
// module that takes Electron's objects as parameters (and is tested with fakes); this file only wires them.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, shell, utilityProcess } from "electron";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../core/engine.ts";
import { parseLaunchArguments } from "../core/server/cliArguments.ts";
import { localModels } from "../core/model/localModels.ts";
import { serveContractForMcp } from "../core/mcp/contractForMcp.ts";
import { runMcpServer } from "../core/mcp/runMcpServer.ts";
import { utilityProcessSpawner } from "./modelHostSpawner.ts";
import { appEntryUrl, appScheme, appSchemePrivileges, serveAppRequest } from "./appProtocol.ts";
import { buildApplicationMenu } from "./applicationMenu.ts";
import { chooseModelFile } from "./modelFileDialog.ts";
import { forwardEngineEvents, registerIpcHandlers } from "./ipcHandlers.ts";
import { OpeningEngine } from "./openingEngine.ts";
import { installQuitGuard } from "./quitGuard.ts";
import { createSenderCheck } from "./senderValidation.ts";
import { mainWindowWebPreferences } from "./windowOptions.ts";
import { denyAllPermissions, hardenWebContents } from "./windowSecurity.ts";
import { minimumWindowSize, WindowStateKeeper } from "./windowState.ts";

// build/electron/main.js sits next to preload.cjs; the renderer is built into build/renderer.
const buildDir = fileURLToPath(new URL(".", import.meta.url));
const rendererDir = join(buildDir, "..", "renderer");
const preloadPath = join(buildDir, "preload.cjs");
const modelHostPath = join(buildDir, "modelHost.js");

const logError = (error: unknown) => console.error("Engram:", error);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

// Any web contents ever created (there should be only ours) gets the same lock-down.
app.on("web-contents-created", (_event, contents) => {
  hardenWebContents(contents, shell, logError);
  denyAllPermissions(contents.session);
});

/** The command line switch that makes this binary Engram's MCP server instead of the app. */
const mcpSwitch = "--mcp";

// Electron and Chromium add their own switches, so unknown options are ignored here.
const launchOptions = () =>
  parseLaunchArguments(process.argv.slice(app.isPackaged ? 1 : 2), {
    strict: false,
    defaultDataDir: join(app.getPath("userData"), "data"),
  });

/**
 * `Engram --mcp [--data DIR]`: the MCP server for the user's other AI tools on stdin/stdout, with no window and no
 * single-instance lock (it runs beside the app and goes through it when the app is open). core/mcp does the work.
 */
async function serveMcp(): Promise<void> {
  // stdout carries only the protocol.
  console.log = console.error;
  app.dock?.hide();
  await runMcpServer({ dataDir: launchOptions().dataDir });
}

async function start(): Promise<void> {
  const options = launchOptions();
  // The engine opens while the window appears (loading a large chat model takes seconds); calls made meanwhile wait.
  // node-llama-cpp and the embedder run in a utilityProcess: a native crash there cannot take the window down.
  const engine = new OpeningEngine(
    Engine.open({
      dataDir: options.dataDir,
      // The same lock as `npm run serve`: the app and a headless server never write one folder together.
      lock: { purpose: "the Engram desktop app" },
      models: localModels({
        spawner: utilityProcessSpawner(utilityProcess, modelHostPath),
        ...(options.modelFile ? { modelFile: options.modelFile } : {}),
      }),
    }),
  );
  engine.opened().catch((error: unknown) => {
    logError(error);
    dialog.showErrorBox(
      "Engram cannot start",
      `Engram could not open its data folder ${options.dataDir}.\n\n${describe(error)}`,
    );
    app.exit(1);
  });
  // Once the folder is ours: the contract on loopback for Engram's MCP server (it reads the address from the folder).
  const contractForMcp = engine.opened().then(
    () =>
      serveContractForMcp(engine, options.dataDir).catch((error: unknown) => {
        logError(error);
        return null;
      }),
    () => null,
  );

  protocol.handle(appScheme, (request) => serveAppRequest(request, rendererDir));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildApplicationMenu(process.platform, { developer: !app.isPackaged })),
  );

  const windowState = new WindowStateKeeper(join(app.getPath("userData"), "window-state.json"), logError);
  const bounds = windowState.load(screen.getAllDisplays().map((display) => display.workArea));
  const window = new BrowserWindow({
    ...bounds,
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    title: "Engram",
    backgroundColor: "#f6f5f2",
    webPreferences: mainWindowWebPreferences(preloadPath, app.isPackaged),
  });
  if (bounds.maximized) window.maximize();
  windowState.track(window);

  let windowOpen = true;
  window.on("closed", () => (windowOpen = false));
  const removeHandlers = registerIpcHandlers(
    ipcMain,
    engine,
    createSenderCheck(() => (windowOpen ? window.webContents : null)),
    { "app.chooseModelFile": () => chooseModelFile(dialog, window, engine) },
  );
  const stopForwarding = forwardEngineEvents(engine.events, window.webContents);

  installQuitGuard(
    app,
    async () => {
      stopForwarding();
      removeHandlers();
      windowState.dispose();
      await (await contractForMcp)?.dispose();
      await engine.dispose();
    },
    logError,
  );
  app.on("second-instance", () => {
    if (!windowOpen) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // One window is the whole app, so closing it quits, on macOS too.
  app.on("window-all-closed", () => app.quit());

  window.once("ready-to-show", () => window.show());
  await window.loadURL(appEntryUrl);
}

if (process.argv.includes(mcpSwitch)) {
  serveMcp().then(
    () => app.exit(0),
    (error: unknown) => {
      logError(error);
      app.exit(1);
    },
  );
} else if (!app.requestSingleInstanceLock()) {
  // Another Engram owns the data folder; it focuses its window (second-instance) and this one leaves.
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logError(error);
      dialog.showErrorBox("Engram cannot start", describe(error));
      app.exit(1);
    });
}
