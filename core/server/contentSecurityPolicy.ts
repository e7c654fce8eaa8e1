/**
 * The Content-Security-Policy of the renderer, shared by the headless server and the Electron protocol handler so the
 * two can never drift. Only the app's own scripts, styles and API; no inline code, no eval, no remote origin, no
 * framing, no plugins, no forms posting elsewhere.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  // The graph's ForceAtlas2 layout runs in a worker the library starts from a blob: URL of its own bundled code.
  "worker-src 'self' blob:",
  "img-src 'self' data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

/** Headers every response of the renderer carries, in the headless server and in Electron alike. */
export const securityHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy": contentSecurityPolicy,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()",
};
