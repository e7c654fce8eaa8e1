/**
 * The bearer token is compared in constant time: every candidate of the right length goes through
 * crypto.timingSafeEqual (observed by replacing it), never through === or Buffer.equals, which stop at the first
 * differing byte and so leak how much of a guess was right.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { test } from "node:test";
import { hasBearerToken } from "../../core/server/requestGuard.ts";

test("the token check goes through timingSafeEqual for every guess of the right length", (t) => {
  const original = crypto.timingSafeEqual;
  const compared: string[] = [];
  t.mock.method(crypto, "timingSafeEqual", (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    compared.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString());
    return original(a, b);
  });
  syncBuiltinESMExports();
  t.after(() => syncBuiltinESMExports());
  const token = "A".repeat(43);
  assert.equal(hasBearerToken({ authorization: `Bearer ${token}` }, token), true);
  assert.equal(hasBearerToken({ authorization: `Bearer ${"A".repeat(42)}B` }, token), false);
  assert.equal(hasBearerToken({ authorization: `Bearer B${"A".repeat(42)}` }, token), false);
  assert.deepEqual(compared, [token, `${"A".repeat(42)}B`, `B${"A".repeat(42)}`]);
  // Other lengths and shapes are refused before any comparison.
  assert.equal(hasBearerToken({ authorization: `Bearer ${token}AA` }, token), false);
  assert.equal(hasBearerToken({ authorization: `Basic ${token}` }, token), false);
  assert.equal(hasBearerToken({}, token), false);
  assert.equal(compared.length, 3);
});
