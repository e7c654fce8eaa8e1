import type { Session, Shell, WebContents } from "electron";

/** Links the app may hand to the system browser: https only (no file:, javascript:, custom protocol handlers). */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === "https:";
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/**
 * Locks a web contents down as the Electron security checklist asks: it never navigates (the renderer is a single
 * page), never opens a window, never attaches a webview; https links the user clicks open in the system browser.
 */
export function hardenWebContents(
  contents: Pick<WebContents, "on" | "setWindowOpenHandler">,
  shell: Pick<Shell, "openExternal">,
  onError: (error: unknown) => void,
): void {
  const openOutside = (url: string) => {
    if (isExternalLink(url)) shell.openExternal(url).catch(onError);
  };
  contents.on("will-navigate", (event, url) => {
    event.preventDefault();
    openOutside(url);
  });
  contents.on("will-redirect", (event) => event.preventDefault());
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: "deny" };
  });
}

/** Denies every permission request and check (camera, microphone, notifications, geolocation, ...). */
export function denyAllPermissions(
  session: Pick<Session, "setPermissionRequestHandler" | "setPermissionCheckHandler">,
) {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
