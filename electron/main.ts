// The desktop app's main process: one window on the engine, nothing more. Every piece with logic lives in its own
// module that takes Electron's objects as parameters (and is tested with fakes); this file only wires them.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, shell, utilityProcess } from "electron";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../core/engine.ts";
import { parseLaunchArguments } from "../core/server/cliArguments.ts";
import { localModels } from "../core/model/localModels.ts";
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

async function start(): Promise<void> {
  // Electron and Chromium add their own switches, so unknown options are ignored here.
  const options = parseLaunchArguments(process.argv.slice(app.isPackaged ? 1 : 2), {
    strict: false,
    defaultDataDir: join(app.getPath("userData"), "data"),
  });
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

if (!app.requestSingleInstanceLock()) {
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
