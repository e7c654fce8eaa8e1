import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { MenuItemConstructorOptions, PreventableEvent } from "electron";
import { appEntryUrl, isAppUrl, serveAppRequest } from "../../electron/appProtocol.ts";
import { buildApplicationMenu } from "../../electron/applicationMenu.ts";
import { utilityProcessSpawner } from "../../electron/modelHostSpawner.ts";
import { installQuitGuard } from "../../electron/quitGuard.ts";
import { denyAllPermissions, hardenWebContents, isExternalLink } from "../../electron/windowSecurity.ts";
import { fitToDisplays, parseWindowState, WindowStateKeeper } from "../../electron/windowState.ts";

const preventable = () => {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event as PreventableEvent & { prevented: boolean };
};

describe("window lock-down", () => {
  function harden() {
    const listeners = new Map<string, (event: PreventableEvent, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const opened: string[] = [];
    hardenWebContents(
      {
        on: (name: string, listener: (event: PreventableEvent, url: string) => void) => {
          listeners.set(name, listener);
          return undefined as never;
        },
        setWindowOpenHandler: (handler) => void (openHandler = handler),
      },
      { openExternal: async (url) => void opened.push(url) },
      (error) => assert.fail(String(error)),
    );
    return { listeners, openHandler: () => openHandler!, opened };
  }

  test("every navigation is cancelled; only https links go to the system browser", () => {
    const { listeners, opened } = harden();
    for (const url of ["https://example.org/a", "http://example.org/", "file:///etc/passwd", "engram://app/x"]) {
      const event = preventable();
      listeners.get("will-navigate")!(event, url);
      assert.ok(event.prevented, url);
    }
    assert.deepEqual(opened, ["https://example.org/a"]);
    const redirect = preventable();
    listeners.get("will-redirect")!(redirect, "https://example.org/");
    assert.ok(redirect.prevented);
    const webview = preventable();
    listeners.get("will-attach-webview")!(webview, "");
    assert.ok(webview.prevented);
  });

  test("new windows are always denied", () => {
    const { openHandler, opened } = harden();
    assert.deepEqual(openHandler()({ url: "https://example.org/" }), { action: "deny" });
    assert.deepEqual(openHandler()({ url: "javascript:alert(1)" }), { action: "deny" });
    assert.deepEqual(opened, ["https://example.org/"]);
    assert.equal(isExternalLink("not a url"), false);
  });

  test("every permission request and check is denied", () => {
    let request: ((contents: never, permission: string, callback: (granted: boolean) => void) => void) | null = null;
    let check: ((contents: null, permission: string) => boolean) | null = null;
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => void (request = handler as typeof request),
      setPermissionCheckHandler: (handler) => void (check = handler as typeof check),
    });
    for (const permission of ["media", "geolocation", "notifications", "clipboard-read", "openExternal"]) {
      let granted: boolean | null = null;
      request!(undefined as never, permission, (answer) => (granted = answer));
      assert.equal(granted, false, permission);
      assert.equal(check!(null, permission), false, permission);
    }
  });
});

describe("the app:// protocol", () => {
  test("serves the renderer with the CSP and refuses everything outside it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "engram-protocol-"));
    try {
      await writeFile(join(dir, "index.html"), "<!doctype html>");
      await mkdir(join(dir, "assets"));
      await writeFile(join(dir, "..", "engram-protocol-secret.txt"), "secret");
      await symlink(join(dir, "..", "engram-protocol-secret.txt"), join(dir, "assets", "link.txt"));
      const page = await serveAppRequest(new Request(appEntryUrl), dir);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      for (const url of ["engram://app/assets/link.txt", "engram://app/%2e%2e/engram-protocol-secret.txt"]) {
        const response = await serveAppRequest(new Request(url), dir);
        assert.ok(response.status === 403 || response.status === 404, url);
        assert.doesNotMatch(await response.text(), /secret/);
      }
      assert.equal((await serveAppRequest(new Request("engram://other/index.html"), dir)).status, 404);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(join(dir, "..", "engram-protocol-secret.txt"), { force: true });
    }
  });

  test("recognises only its own origin", () => {
    assert.ok(isAppUrl(appEntryUrl));
    assert.ok(!isAppUrl("engram://evil/index.html"));
    assert.ok(!isAppUrl("https://app/index.html"));
    assert.ok(!isAppUrl("::"));
  });
});

describe("window state", () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  test("a saved state is restored; garbage falls back to the default", () => {
    assert.deepEqual(parseWindowState('{"x":10,"y":20,"width":900,"height":700,"maximized":true}'), {
      x: 10,
      y: 20,
      width: 900,
      height: 700,
      maximized: true,
    });
    assert.deepEqual(parseWindowState("{oops"), parseWindowState(null));
    assert.deepEqual(parseWindowState('{"width":"big","height":5}').height, 360);
  });

  test("a window on an unplugged monitor comes back on screen, capped to the display", () => {
    const offScreen = fitToDisplays({ x: 4000, y: 100, width: 3000, height: 700, maximized: false }, screen);
    assert.equal(offScreen.x, undefined);
    assert.equal(offScreen.width, 1920);
    const onScreen = fitToDisplays({ x: 100, y: 100, width: 800, height: 600, maximized: false }, screen);
    assert.deepEqual(onScreen, { x: 100, y: 100, width: 800, height: 600, maximized: false });
  });

  test("bounds are saved when the window closes and read back at the next start", async () => {
    const dir = await mkdtemp(join(tmpdir(), "engram-window-"));
    try {
      const file = join(dir, "window-state.json");
      const keeper = new WindowStateKeeper(file, (error) => assert.fail(String(error)));
      assert.deepEqual(keeper.load(screen), parseWindowState(null));
      const listeners = new Map<string, () => void>();
      const window = {
        on: (name: string, listener: () => void) => (listeners.set(name, listener), window),
        off: (name: string) => (listeners.delete(name), window),
        getNormalBounds: () => ({ x: 50, y: 60, width: 1000, height: 800 }),
        isMaximized: () => false,
        isDestroyed: () => false,
      };
      keeper.track(window as never);
      listeners.get("close")!();
      assert.deepEqual(JSON.parse(await readFile(file, "utf8")), {
        x: 50,
        y: 60,
        width: 1000,
        height: 800,
        maximized: false,
      });
      assert.equal(new WindowStateKeeper(file, (error) => assert.fail(String(error))).load(screen).x, 50);
      keeper.dispose();
      assert.equal(listeners.size, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("quitting", () => {
  function fakeApp() {
    const app = {
      listener: null as ((event: PreventableEvent) => void) | null,
      quits: 0,
      exitCode: null as number | null,
      on: (_name: string, listener: (event: PreventableEvent) => void) => ((app.listener = listener), app),
      quit: () => {
        app.quits++;
        const event = preventable();
        app.listener!(event);
        return event.prevented;
      },
      exit: (code?: number) => void (app.exitCode = code ?? 0),
    };
    return app;
  }

  test("quit waits for the engine to be disposed, once, then really quits", async () => {
    const app = fakeApp();
    let disposals = 0;
    let finish!: () => void;
    installQuitGuard(
      app as never,
      () => new Promise<void>((resolve) => (disposals++, (finish = resolve))),
      (error) => assert.fail(String(error)),
    );
    assert.equal(app.quit(), true, "the first quit is held back");
    assert.equal(app.quit(), true, "a second quit while disposing is held back too");
    assert.equal(disposals, 1);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(app.quits, 3, "after disposing, the guard quits for real");
  });

  test("a failing dispose still lets the app exit, with code 1", async () => {
    const app = fakeApp();
    const errors: unknown[] = [];
    installQuitGuard(
      app as never,
      () => Promise.reject(new Error("stuck")),
      (error) => errors.push(error),
    );
    app.quit();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(app.exitCode, 1);
    assert.equal(errors.length, 1);
  });
});

describe("application menu", () => {
  const roles = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((item) => [...(item.role ? [item.role] : []), ...roles(item.submenu ?? [])]);

  test("has the usual shortcuts on every platform, and developer tools only in development", () => {
    for (const platform of ["linux", "win32", "darwin"] as const) {
      const found = roles(buildApplicationMenu(platform, { developer: false }));
      for (const role of ["editMenu", "quit", "zoomIn", "togglefullscreen", "windowMenu"]) {
        assert.ok(found.includes(role), `${platform} lacks ${role}`);
      }
      assert.ok(!found.includes("toggleDevTools"));
    }
    assert.ok(roles(buildApplicationMenu("linux", { developer: true })).includes("toggleDevTools"));
    assert.ok(roles(buildApplicationMenu("darwin", { developer: false })).includes("appMenu"));
  });
});

describe("model host in a utilityProcess", () => {
  test("adapts utilityProcess.fork to core/model's spawner", () => {
    const forks: { entry: string; options: unknown }[] = [];
    const listeners = new Map<string, (value: never) => void>();
    const sent: unknown[] = [];
    let killed = false;
    const child = {
      pid: 42,
      postMessage: (message: unknown) => void sent.push(message),
      on: (name: string, listener: (value: never) => void) => (listeners.set(name, listener), child),
      once: (name: string, listener: (value: never) => void) => (listeners.set(name, listener), child),
      kill: () => (killed = true),
    };
    const spawn = utilityProcessSpawner(
      { fork: (entry, _args, options) => (forks.push({ entry, options }), child as never) },
      "/app/modelHostEntry.js",
    );
    const host = spawn();
    assert.equal(host.pid, 42);
    assert.equal(forks[0]?.entry, "/app/modelHostEntry.js");
    host.postMessage({ id: 1 });
    assert.deepEqual(sent, [{ id: 1 }]);
    const messages: unknown[] = [];
    host.onMessage((message) => messages.push(message));
    listeners.get("message")!({ id: 1, ok: true } as never);
    assert.deepEqual(messages, [{ id: 1, ok: true }]);
    const exits: unknown[] = [];
    host.onExit((code, signal) => exits.push([code, signal]));
    listeners.get("exit")!(139 as never);
    assert.deepEqual(exits, [[139, null]]);
    host.kill();
    assert.ok(killed);
  });
});
