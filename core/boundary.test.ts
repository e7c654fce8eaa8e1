import { test } from "node:test";
import assert from "node:assert/strict";
import { dispatch, type Handlers } from "./boundary.ts";
import { NotFoundError } from "./errors.ts";

const handlers = {
  "conversations.rename": async () => {
    throw new NotFoundError("Conversation", "c1");
  },
  "conversations.list": async () => ({ conversations: [] }),
} as unknown as Handlers;

test("an unknown method is refused with a stable code", async () => {
  const result = await dispatch(handlers, "memory.drop", {});
  assert.deepEqual(result, {
    ok: false,
    error: { code: "unknown_method", message: 'There is no method "memory.drop".' },
  });
});

test("input that breaks the schema never reaches the handler", async () => {
  const result = await dispatch(handlers, "conversations.rename", { id: "c1", title: "" });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, "bad_input");
  assert.match(!result.ok ? result.error.message : "", /title/);
});

test("typed errors from the engine keep their code at the boundary", async () => {
  const result = await dispatch(handlers, "conversations.rename", { id: "c1", title: "Trip" });
  assert.deepEqual(result, { ok: false, error: { code: "not_found", message: 'Conversation "c1" does not exist.' } });
});

test("a missing body counts as an empty input", async () => {
  assert.deepEqual(await dispatch(handlers, "conversations.list", undefined), {
    ok: true,
    data: { conversations: [] },
  });
});
