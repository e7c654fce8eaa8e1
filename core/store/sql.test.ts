import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { and, column, eq, isIn, literal, or } from "./sql.ts";

test("string values are quoted so a quote in user text cannot end the literal", () => {
  assert.equal(eq("id", "x' OR '1'='1"), "`id` = 'x'' OR ''1''=''1'");
});

test("any string becomes a single literal", () => {
  fc.assert(
    fc.property(fc.string(), (value) => {
      const rendered = literal(value);
      const inner = rendered.slice(1, -1);
      assert.ok(rendered.startsWith("'") && rendered.endsWith("'"));
      // Every quote inside is doubled, so the literal cannot close early.
      assert.equal(inner.replaceAll("''", "").includes("'"), false);
    }),
  );
});

test("column names must be plain identifiers", () => {
  assert.equal(column("conversationId"), "`conversationId`");
  assert.throws(() => column("id; DROP"), /Not a column name/);
  assert.throws(() => literal(Number.NaN), /finite/);
});

test("IN and OR with nothing match nothing, AND with nothing matches everything", () => {
  assert.equal(isIn("id", []), "false");
  assert.equal(isIn("id", ["a", "b"]), "`id` IN ('a', 'b')");
  assert.equal(and(), "true");
  assert.equal(and(eq("a", 1), undefined, eq("b", true)), "(`a` = 1) AND (`b` = true)");
  assert.equal(or(), "false");
  assert.equal(or(eq("a", 1), false, eq("b", "x")), "(`a` = 1) OR (`b` = 'x')");
});
