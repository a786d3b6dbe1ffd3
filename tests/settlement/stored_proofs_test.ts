/** The proof store as the proof sender sees it: seals of stored batches; a discard re-opens one. */
import assert from "node:assert/strict";
import { storedBatchProofs } from "../../lib/settlement/stored_proofs.ts";
import { ProofStore } from "../../lib/store/proof_store.ts";
import { fakeFacts, fakeProof } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("storedBatchProofs: the stored seal; a discarded proof leaves the store (kept aside) and stays gone on reopen", async () => {
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  const facts = fakeFacts(3);
  const proof = fakeProof(facts);
  await store.put({
    batchNumber: 3,
    firstBlock: 3,
    lastBlock: 3,
    storedAt: new Date(0).toISOString(),
    facts,
    proof,
  });
  const proofs = storedBatchProofs(store, memoryLogger().log);
  assert.deepEqual(await proofs.seal(3), { seal: proof.seal, lastBlockHash: facts.lastBlockHash });
  assert.equal(await proofs.seal(4), undefined);
  await proofs.discard(3, "the verifier refuses its seal");
  assert.equal(store.has(3), false);
  assert.equal(store.highest(), undefined);
  assert.equal(await proofs.seal(3), undefined);
  const aside = [...Deno.readDirSync(`${dir}/proofs/discarded`)].map((e) => e.name).sort();
  assert.equal(aside.length, 2);
  assert.match(aside[1], /^batch-000000000003-.*\.reason\.txt$/);
  assert.match(Deno.readTextFileSync(`${dir}/proofs/discarded/${aside[1]}`), /refuses its seal/);
  assert.equal((await ProofStore.open(dir)).has(3), false);
  await Deno.remove(dir, { recursive: true });
});
