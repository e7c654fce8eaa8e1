import type { IncomingMessage } from "node:http";

export type BodyResult =
  | { kind: "body"; text: string }
  | { kind: "too_large"; limit: number }
  /** The client went away before sending the whole body: there is nobody to answer. */
  | { kind: "dropped"; reason: string };

/**
 * Reads a request body up to `limit` bytes. Past the limit nothing is kept, and at most another `limit` bytes are
 * read and thrown away: a client that sent a body somewhat too large finishes sending and can read the 413, while a
 * runaway upload (or a declared length past twice the limit) is answered at once, and the caller closes the
 * connection instead of reading on. A request never costs the server more than twice the limit. A client that goes
 * away mid-body is reported as `dropped`.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers["content-length"] ?? "0");
  const cutOff = 2 * limit;
  if (Number.isFinite(declared) && declared > cutOff) {
    request.pause();
    return Promise.resolve({ kind: "too_large", limit });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      if (received <= cutOff) return;
      request.off("data", onData);
      request.pause();
      resolve({ kind: "too_large", limit });
    };
    request.on("data", onData);
    request.on("end", () =>
      resolve(
        received > limit
          ? { kind: "too_large", limit }
          : { kind: "body", text: Buffer.concat(chunks).toString("utf8") },
      ),
    );
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
