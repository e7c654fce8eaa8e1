import type { IpcMainInvokeEvent, IpcRendererEvent, WebFrameMain } from "electron";

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
type RendererListener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/**
 * An in-memory ipcMain + ipcRenderer pair: invoke() on the renderer side runs the handler registered on the main
 * side, send() on the main side reaches the renderer's listeners, like Electron's IPC without the binary.
 */
export class FakeIpc {
  readonly handlers = new Map<string, Handler>();
  readonly rendererListeners = new Map<string, Set<RendererListener>>();
  /** The frame every invoke() claims to come from; tests swap it to play an iframe or a foreign page. */
  senderFrame: WebFrameMain | null = { url: "engram://app/index.html", parent: null };
  senderId = 1;

  readonly ipcMain = {
    handle: (channel: string, listener: Handler) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => void this.handlers.delete(channel),
  };

  readonly ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]): Promise<unknown> => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const event = { sender: { id: this.senderId }, senderFrame: this.senderFrame } as unknown as IpcMainInvokeEvent;
      // Electron structured-clones what crosses IPC; so does the fake.
      return structuredClone(await handler(event, ...structuredClone(args)));
    },
    on: (channel: string, listener: RendererListener) => {
      let set = this.rendererListeners.get(channel);
      if (!set) this.rendererListeners.set(channel, (set = new Set()));
      set.add(listener);
    },
    removeListener: (channel: string, listener: RendererListener) => {
      this.rendererListeners.get(channel)?.delete(listener);
    },
  };

  /** The window's webContents as main sees it: send() delivers to the renderer's listeners. */
  readonly webContents = {
    id: 1,
    destroyed: false,
    send: (channel: string, ...args: unknown[]) => {
      for (const listener of this.rendererListeners.get(channel) ?? []) {
        listener({ senderId: 0 } as IpcRendererEvent, ...structuredClone(args));
      }
    },
    isDestroyed: () => this.webContents.destroyed,
  };

  listenerCount(): number {
    return [...this.rendererListeners.values()].reduce((total, set) => total + set.size, 0);
  }
}
