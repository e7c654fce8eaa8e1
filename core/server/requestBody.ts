import type { IncomingMessage } from "node:http";

export type BodyResult =
  | { kind: "body"; text: string }
  | { kind: "too_large"; limit: number }
  /** The client went away before sending the whole body: there is nobody to answer. */
  | { kind: "dropped"; reason: string };

/**
 * Reads a request body up to `limit` bytes. A body declared or found to be larger is answered at once: reading stops
 * where the limit is passed (nothing past it is read or kept), and the caller replies 413 and closes the connection,
 * so a runaway upload costs the server no more than `limit` bytes. A client that goes away mid-body is reported as
 * `dropped`.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.resolve({ kind: "too_large", limit });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      request.off("data", onData);
      request.pause();
      resolve({ kind: "too_large", limit });
    };
    request.on("data", onData);
    request.on("end", () => resolve({ kind: "body", text: Buffer.concat(chunks).toString("utf8") }));
    request.on("error", (error: NodeJS.ErrnoException) => {
      // A connection closed mid-body ("aborted", ECONNRESET) is the client's doing, not a fault of ours.
      if (error.code === "ECONNRESET" || error.message === "aborted") {
        resolve({ kind: "dropped", reason: error.message });
      } else {
        reject(error);
      }
    });
  });
}
