/**
 * The part of Electron's API this app uses, declared here because `electron` is an optional dependency that is absent
 * where the app is built and tested headless. Signatures follow Electron's own typings (electron.d.ts), narrowed to
 * what we call; the modules under electron/ take these objects as parameters so tests pass fakes.
 */
declare module "electron" {
  export interface Rectangle {
    x: number;
    y: number;
    width: number;
    height: number;
  }

  export interface WebFrameMain {
    readonly url: string;
    readonly parent: WebFrameMain | null;
  }

  export interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }

  export interface IpcMain {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
    removeHandler(channel: string): void;
  }

  export interface IpcRendererEvent {
    readonly senderId: number;
  }

  export interface IpcRenderer {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
    removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  }

  export interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: unknown): void;
  }

  export interface PreventableEvent {
    preventDefault(): void;
  }

  export type PermissionRequestHandler = (
    webContents: WebContents,
    permission: string,
    callback: (permissionGranted: boolean) => void,
  ) => void;

  export interface Session {
    setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
    setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string) => boolean) | null): void;
  }

  export type WindowOpenHandlerResponse = { action: "deny" } | { action: "allow" };

  export interface WebContents {
    readonly id: number;
    readonly mainFrame: WebFrameMain;
    readonly session: Session;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    on(
      event: "will-navigate" | "will-redirect" | "will-attach-webview",
      listener: (event: PreventableEvent, url: string) => void,
    ): this;
    setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
  }

  export interface OpenDialogOptions {
    title?: string;
    buttonLabel?: string;
    filters?: { name: string; extensions: string[] }[];
    properties?: ("openFile" | "openDirectory" | "multiSelections" | "showHiddenFiles")[];
  }

  export interface OpenDialogReturnValue {
    canceled: boolean;
    filePaths: string[];
  }

  export interface Dialog {
    showErrorBox(title: string, content: string): void;
    showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  }

  export interface Shell {
    openExternal(url: string): Promise<void>;
  }

  export interface BrowserWindowConstructorOptions {
    x?: number;
    y?: number;
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    icon?: string;
    backgroundColor?: string;
    webPreferences?: {
      preload?: string;
      sandbox?: boolean;
      contextIsolation?: boolean;
      nodeIntegration?: boolean;
      nodeIntegrationInWorker?: boolean;
      nodeIntegrationInSubFrames?: boolean;
      webSecurity?: boolean;
      allowRunningInsecureContent?: boolean;
      webviewTag?: boolean;
      navigateOnDragDrop?: boolean;
      spellcheck?: boolean;
      devTools?: boolean;
    };
  }

  export class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    readonly webContents: WebContents;
    on(event: "resize" | "move" | "close" | "closed" | "maximize" | "unmaximize", listener: () => void): this;
    once(event: "ready-to-show", listener: () => void): this;
    off(event: "resize" | "move" | "close" | "closed" | "maximize" | "unmaximize", listener: () => void): this;
    getNormalBounds(): Rectangle;
    isMaximized(): boolean;
    isMinimized(): boolean;
    isDestroyed(): boolean;
    maximize(): void;
    restore(): void;
    show(): void;
    focus(): void;
    loadURL(url: string): Promise<void>;
  }

  export interface MenuItemConstructorOptions {
    role?: string;
    label?: string;
    type?: "normal" | "separator" | "submenu" | "checkbox" | "radio";
    accelerator?: string;
    click?: () => void;
    submenu?: MenuItemConstructorOptions[];
  }

  export class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }

  export interface App {
    readonly isPackaged: boolean;
    /** macOS only: the Dock icon (hidden when the binary runs as the MCP server). */
    readonly dock?: { hide(): void };
    getName(): string;
    getPath(name: "userData" | "home" | "temp"): string;
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    quit(): void;
    exit(exitCode?: number): void;
    on(event: "before-quit", listener: (event: PreventableEvent) => void): this;
    on(event: "second-instance" | "window-all-closed", listener: () => void): this;
    on(event: "web-contents-created", listener: (event: unknown, contents: WebContents) => void): this;
  }

  export interface CustomScheme {
    scheme: string;
    privileges?: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; corsEnabled?: boolean };
  }

  export interface Protocol {
    registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  }

  export interface Screen {
    getAllDisplays(): { workArea: Rectangle }[];
  }

  export interface UtilityProcess {
    readonly pid: number | undefined;
    postMessage(message: unknown): void;
    kill(): boolean;
    on(event: "message", listener: (message: unknown) => void): this;
    once(event: "exit", listener: (code: number) => void): this;
  }

  export interface UtilityProcessModule {
    fork(
      modulePath: string,
      args?: string[],
      options?: { serviceName?: string; stdio?: "pipe" | "inherit" },
    ): UtilityProcess;
  }

  export const app: App;
  export const ipcMain: IpcMain;
  export const ipcRenderer: IpcRenderer;
  export const contextBridge: ContextBridge;
  export const shell: Shell;
  export const dialog: Dialog;
  export const protocol: Protocol;
  export const screen: Screen;
  export const utilityProcess: UtilityProcessModule;
}
