import type { App } from "electron";

/**
 * Makes quitting wait for the engine: the first quit is held back while `dispose` finishes pending writes, then the
 * app quits for real. Quits requested meanwhile are held too. If disposing fails, the app still exits (with code 1),
 * so a user is never stuck with an app that cannot close.
 */
export function installQuitGuard(
  app: Pick<App, "on" | "quit" | "exit">,
  dispose: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  let state: "running" | "disposing" | "disposed" = "running";
  app.on("before-quit", (event) => {
    if (state === "disposed") return;
    event.preventDefault();
    if (state === "disposing") return;
    state = "disposing";
    dispose().then(
      () => {
        state = "disposed";
        app.quit();
      },
      (error: unknown) => {
        onError(error);
        state = "disposed";
        app.exit(1);
      },
    );
  });
}
