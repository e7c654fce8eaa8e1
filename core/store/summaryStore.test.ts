import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "./database.ts";
import type { SummaryRow } from "./schema.ts";
import { conversationSummaryId, profileSummaryId, SummaryStore } from "./summaryStore.ts";

const row = (id: string, kind: SummaryRow["kind"], conversationId: string | null, turnCount: number): SummaryRow => ({
  id,
  kind,
  conversationId,
  text: `${id} text`,
  turnCount,
  updatedAt: 1,
  editedByUser: false,
});

test("a conversation's compact memory is its own summary and digests, oldest digest first, and the profile", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "engram-summaries-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const db = await Database.open({ directory });
  t.after(() => db.dispose());
  const store = await SummaryStore.open(db);
  for (const summary of [
    row(profileSummaryId, "profile", null, 9),
    row(conversationSummaryId("a"), "conversation", "a", 3),
    row(conversationSummaryId("b"), "conversation", "b", 5),
    row("digest_a_2", "digest", "a", 200),
    row("digest_a_1", "digest", "a", 100),
    row("digest_b_1", "digest", "b", 100),
  ]) {
    await store.put(summary);
  }
  const ids = (rows: (SummaryRow | null)[]) => rows.map((summary) => summary?.id ?? null);

  const ofA = await store.ofConversation("a");
  assert.deepEqual(ids([ofA.profile, ofA.conversation]), [profileSummaryId, conversationSummaryId("a")]);
  assert.deepEqual(ids(ofA.digests), ["digest_a_1", "digest_a_2"]);

  const none = await store.ofConversation(null);
  assert.deepEqual(ids([none.profile, none.conversation]), [profileSummaryId, null]);
  assert.deepEqual(none.digests, []);

  // A conversation with nothing summarised yet, and a quote in an id, which stays a literal.
  const fresh = await store.ofConversation("c' OR '1'='1");
  assert.deepEqual(ids([fresh.profile, fresh.conversation]), [profileSummaryId, null]);
  assert.deepEqual(fresh.digests, []);
});
