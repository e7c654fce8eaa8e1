/**
 * A stand-in for the `electron` module as the main process sees it, bundled into electron/main.ts in place of the
 * real one (see securityChecklist.test.ts), so the real main process can be started and inspected without the
 * Electron binary. It records what main asks for in the `FakeElectronRecord` the test puts on globalThis.
 */
type Listener = (...args: unknown[]) => unknown;

/** What the test reads back after main ran. */
export interface FakeElectronRecord {
  userData: string;
  appListeners: Map<string, Listener[]>;
  windows: { options: Record<string, unknown>; loaded: string[] }[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  privilegedSchemes: unknown[];
  ipcChannels: Set<string>;
  errorBoxes: { title: string; content: string }[];
  exitCodes: number[];
  quits: number;
  singleInstanceRequested: boolean;
}

const record = (globalThis as unknown as { engramFakeElectron: FakeElectronRecord }).engramFakeElectron;

const on = (listeners: Map<string, Listener[]>, name: string, listener: Listener) => {
  listeners.set(name, [...(listeners.get(name) ?? []), listener]);
};

export const app = {
  isPackaged: false,
  getName: () => "Engram",
  getPath: () => record.userData,
  requestSingleInstanceLock: () => (record.singleInstanceRequested = true),
  whenReady: () => Promise.resolve(),
  quit: () => {
    record.quits++;
    const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
    for (const listener of record.appListeners.get("before-quit") ?? []) listener(event);
  },
  exit: (code = 0) => void record.exitCodes.push(code),
  on(name: string, listener: Listener) {
    on(record.appListeners, name, listener);
    return app;
  },
};

export class BrowserWindow {
  readonly #listeners = new Map<string, Listener[]>();
  readonly #entry: FakeElectronRecord["windows"][number];
  readonly webContents = {
    id: 1,
    send: () => undefined,
    isDestroyed: () => false,
    mainFrame: { url: "", parent: null },
  };

  constructor(options: Record<string, unknown>) {
    this.#entry = { options, loaded: [] };
    record.windows.push(this.#entry);
  }
  on(name: string, listener: Listener) {
    on(this.#listeners, name, listener);
    return this;
  }
  once(name: string, listener: Listener) {
    return this.on(name, listener);
  }
  off() {
    return this;
  }
  getNormalBounds = () => ({ x: 0, y: 0, width: 1200, height: 800 });
  isMaximized = () => false;
  isMinimized = () => false;
  isDestroyed = () => false;
  maximize = () => undefined;
  restore = () => undefined;
  show = () => undefined;
  focus = () => undefined;
  async loadURL(url: string) {
    this.#entry.loaded.push(url);
  }
}

export const dialog = {
  showErrorBox: (title: string, content: string) => void record.errorBoxes.push({ title, content }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};
export const ipcMain = {
  handle: (channel: string) => void record.ipcChannels.add(channel),
  removeHandler: (channel: string) => void record.ipcChannels.delete(channel),
};
export const Menu = { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => undefined };
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => void record.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Response) =>
    void record.protocolHandlers.set(scheme, handler),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const shell = { openExternal: async () => undefined };
export const utilityProcess = {
  fork: () => {
    throw new Error("The security test never starts a model host.");
  },
};
