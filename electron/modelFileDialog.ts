import type { BrowserWindow, Dialog } from "electron";
import type { BridgeReply } from "../core/api/index.ts";
import type { EngineLike } from "../core/server/engineLike.ts";

/**
 * `app.chooseModelFile` as the desktop app serves it: the system's open dialog, limited to .gguf files, over the
 * app's window; the chosen path goes straight to `models.import` through the contract, so the page never sees or
 * supplies a path. A cancelled dialog answers `{ model: null }`.
 */
export async function chooseModelFile(
  dialog: Pick<Dialog, "showOpenDialog">,
  window: BrowserWindow,
  engine: Pick<EngineLike, "dispatch">,
): Promise<BridgeReply> {
  const picked = await dialog.showOpenDialog(window, {
    title: "Choose a chat model",
    buttonLabel: "Use this model",
    filters: [{ name: "GGUF models", extensions: ["gguf"] }],
    properties: ["openFile"],
  });
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return { ok: true, data: { model: null } };
  const imported = await engine.dispatch("models.import", { path });
  return imported.ok ? { ok: true, data: { model: imported.data } } : imported;
}
