/** The server's check of mock seals (exec results, risc0 dev-mode receipts): recomputed, never trusted. */
import assert from "node:assert/strict";
import { mockSealVerdict } from "../../lib/server/submissions.ts";
import { fakeFacts, fakeProof } from "../helpers/fake_chain.ts";
import { mockSeal } from "../../lib/host/mod.ts";
import { journalOf } from "../../lib/protocol/facts.ts";

Deno.test("mock seal: the right seal passes; another journal, image id or a bare seal does not", () => {
  const proof = fakeProof(fakeFacts(7));
  assert.deepEqual(mockSealVerdict(proof), { ok: true });
  const otherJournal = { ...proof, journal: journalOf(fakeFacts(8)) };
  assert.equal(mockSealVerdict(otherJournal).ok, false);
  const otherId = { ...proof, imageId: `0x${"01".repeat(32)}` as const };
  const v = mockSealVerdict(otherId);
  assert.ok(!v.ok && v.code === "verification_failed" && /not the mock seal/.test(v.message));
  assert.equal(mockSealVerdict({ ...proof, seal: "0x" }).ok, false);
  assert.equal(mockSealVerdict({ ...proof, imageId: null }).ok, false);
  // The seal is recomputed from what the proof names: a consistent pair for another id passes
  // here, and the image-id check (receipt_verifier.ts, the contract) is what refuses it.
  const id = `0x${"02".repeat(32)}` as const;
  assert.deepEqual(mockSealVerdict({ ...proof, imageId: id, seal: mockSeal(id, proof.journal) }), {
    ok: true,
  });
});
