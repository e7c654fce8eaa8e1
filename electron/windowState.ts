import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BrowserWindow, Rectangle } from "electron";

/** Where and how big the window was, restored at the next start. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const defaultWindowState: WindowState = { width: 1100, height: 760, maximized: false };
export const minimumWindowSize = { width: 480, height: 360 } as const;

/** Reads a saved state, falling back to the default for anything missing or malformed (a hand-edited file). */
export function parseWindowState(text: string | null): WindowState {
  if (text === null) return { ...defaultWindowState };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return { ...defaultWindowState };
    throw error;
  }
  const value = (raw ?? {}) as Record<string, unknown>;
  const whole = (field: unknown): number | undefined =>
    typeof field === "number" && Number.isInteger(field) && Math.abs(field) < 100_000 ? field : undefined;
  const width = whole(value.width);
  const height = whole(value.height);
  const x = whole(value.x);
  const y = whole(value.y);
  return {
    width: Math.max(width ?? defaultWindowState.width, minimumWindowSize.width),
    height: Math.max(height ?? defaultWindowState.height, minimumWindowSize.height),
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    maximized: value.maximized === true,
  };
}

/**
 * Keeps a restored window on screen: a position is kept only if the window's title bar area lies within a display's
 * work area (a monitor may have been unplugged since), and the size is capped to the largest display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
  const width = Math.min(state.width, largest.width);
  const height = Math.min(state.height, largest.height);
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const titleBarVisible = workAreas.some(
    (area) => x + 100 > area.x && x + 100 < area.x + area.width && y >= area.y && y + 30 < area.y + area.height,
  );
  return titleBarVisible ? { ...fitted, x, y } : fitted;
}

/**
 * Remembers the window's bounds in a small JSON file: loaded before the window is created, saved (debounced) as the
 * user moves or resizes it and at once when it closes. The file is replaced atomically so a crash never leaves half a
 * file behind.
 */
export class WindowStateKeeper {
  readonly #file: string;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #untrack: (() => void) | null = null;

  constructor(file: string, onError: (error: unknown) => void) {
    this.#file = file;
    this.#onError = onError;
  }

  load(workAreas: readonly Rectangle[]): WindowState {
    let text: string | null = null;
    try {
      text = readFileSync(this.#file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.#onError(error);
    }
    return fitToDisplays(parseWindowState(text), workAreas);
  }

  /** Follows `window` until it closes; returns (and remembers, for dispose) the function that stops following. */
  track(window: Pick<BrowserWindow, "on" | "off" | "getNormalBounds" | "isMaximized" | "isDestroyed">): () => void {
    const saveSoon = () => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.save(window), 500);
    };
    const saveNow = () => this.save(window);
    const events = ["resize", "move", "maximize", "unmaximize"] as const;
    for (const event of events) window.on(event, saveSoon);
    window.on("close", saveNow);
    this.#untrack = () => {
      for (const event of events) window.off(event, saveSoon);
      window.off("close", saveNow);
    };
    return this.#untrack;
  }

  save(window: Pick<BrowserWindow, "getNormalBounds" | "isMaximized" | "isDestroyed">): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(`${this.#file}.tmp`, JSON.stringify(state));
      renameSync(`${this.#file}.tmp`, this.#file);
    } catch (error) {
      this.#onError(error);
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#untrack?.();
    this.#untrack = null;
  }
}
