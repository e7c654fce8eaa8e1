import type { IncomingMessage } from "node:http";

export type BodyResult = { kind: "body"; text: string } | { kind: "too_large"; limit: number };

/**
 * Reads a request body up to `limit` bytes. A larger body is drained rather than cut off, so the client finishes
 * sending and can read the 413 reply instead of seeing a reset connection; nothing past the limit is kept.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers["content-length"] ?? "0");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    request.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on("end", () =>
      resolve(tooLarge ? { kind: "too_large", limit } : { kind: "body", text: Buffer.concat(chunks).toString("utf8") }),
    );
    request.on("error", reject);
  });
}
