// The preload of the app's window. It runs sandboxed, so it is bundled to one CommonJS file with everything but
// `electron` inlined (build/electron/preload.cjs).
import { contextBridge, ipcRenderer } from "electron";
import { exposeBridge } from "./bridge.ts";

exposeBridge(contextBridge, ipcRenderer);
