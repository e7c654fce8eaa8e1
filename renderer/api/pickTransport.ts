import { bridgeTransport, type EngramBridge } from "./bridgeTransport.ts";
import { HttpTransport } from "./httpTransport.ts";
import type { Transport } from "./transport.ts";

const tokenStorageKey = "engram.token";

/**
 * Chooses the transport at start: Electron's bridge when the preload exposed one, else the headless server the page
 * came from, with the token the server put in the URL fragment. The fragment is removed at once (so it is not left in
 * the address bar, a bookmark or a screenshot) and kept in session storage so a reload of this tab still works.
 * Returns null when neither is available (the page was opened without its token).
 */
export function pickTransport(options: { onReconnect?: () => void } = {}): Transport | null {
  const bridge = (window as Window & { engram?: EngramBridge }).engram;
  if (bridge) return bridgeTransport(bridge);

  const fromFragment = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1];
  if (fromFragment) {
    sessionStorage.setItem(tokenStorageKey, fromFragment);
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  const token = fromFragment ?? sessionStorage.getItem(tokenStorageKey);
  if (!token) return null;
  return new HttpTransport({ origin: window.location.origin, token, onReconnect: options.onReconnect });
}
