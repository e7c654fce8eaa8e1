import type { BrowserWindowConstructorOptions } from "electron";

type WebPreferences = NonNullable<BrowserWindowConstructorOptions["webPreferences"]>;

/**
 * The web preferences of the app window, as Electron's security checklist asks: the renderer is sandboxed, isolated
 * from the preload's world, has no Node anywhere (workers and frames included), keeps web security, and cannot open
 * a webview or navigate by a dropped file. Developer tools only in development.
 */
export function mainWindowWebPreferences(preloadPath: string, packaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: !packaged,
  };
}
