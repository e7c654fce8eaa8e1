import type { MenuItemConstructorOptions } from "electron";

/**
 * The app menu: Electron's standard roles, so every platform gets its usual shortcuts (copy/paste, undo, zoom, full
 * screen, close, quit) without us writing accelerators. On macOS the first menu is the app's own.
 */
export function buildApplicationMenu(
  platform: NodeJS.Platform,
  options: { developer: boolean },
): MenuItemConstructorOptions[] {
  const mac = platform === "darwin";
  const view: MenuItemConstructorOptions[] = [
    { role: "resetZoom" },
    { role: "zoomIn" },
    { role: "zoomOut" },
    { type: "separator" },
    { role: "togglefullscreen" },
  ];
  if (options.developer) view.unshift({ role: "reload" }, { role: "toggleDevTools" }, { type: "separator" });
  return [
    ...(mac
      ? [
          {
            role: "appMenu",
            submenu: [
              { role: "about" },
              { type: "separator" },
              { role: "hide" },
              { role: "hideOthers" },
              { role: "unhide" },
              { type: "separator" },
              { role: "quit" },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    { role: "fileMenu", submenu: [mac ? { role: "close" } : { role: "quit" }] },
    { role: "editMenu" },
    { label: "View", submenu: view },
    { role: "windowMenu" },
  ];
}
