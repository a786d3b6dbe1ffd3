/** The board's reorg check against a fake chain: what it asks the L2, and what it sets aside. */
import assert from "node:assert/strict";
import { JobBoard } from "../../lib/server/jobs.ts";
import { LeaseTable } from "../../lib/server/leases.ts";
import { serverMetrics } from "../../lib/server/metrics.ts";
import type { Hex } from "../../lib/protocol/proof.ts";
import { FixedBatchSource, singleBlockBatches } from "../../lib/server/source.ts";
import { ProofStore } from "../../lib/store/proof_store.ts";
import { fakeFacts, fakeHash, fakeJob, fakeProof } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

/** Batches 1..3; batch 3's input names `parentOf3` as its parent; the chain answers `chain`. */
async function setup(parentOf3: Hex, chain: Map<number, Hex>) {
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  for (const n of [1, 2]) {
    const facts = fakeFacts(n);
    await store.put({
      batchNumber: n,
      firstBlock: n,
      lastBlock: n,
      storedAt: new Date().toISOString(),
      facts,
      proof: fakeProof(facts),
    });
  }
  const calls: number[] = [];
  const { log, lines } = memoryLogger();
  const metrics = serverMetrics();
  const b = new JobBoard({
    source: new FixedBatchSource(singleBlockBatches(1, 3)),
    build: (batch) => {
      const job = fakeJob(batch.number);
      return Promise.resolve(
        batch.number === 3 ? { ...job, facts: { ...job.facts, parentHash: parentOf3 } } : job,
      );
    },
    fetchFacts: (batch) => Promise.resolve(fakeFacts(batch.number)),
    store,
    leases: new LeaseTable(60_000),
    metrics,
    log,
    blockHash: (n) => {
      calls.push(n);
      return Promise.resolve(chain.get(n) ?? null);
    },
  }, { prefetch: 4, pollMs: 10 });
  const ctrl = new AbortController();
  while (await b.fillOnce(ctrl.signal)) { /* build batch 3 */ }
  return { b, store, calls, lines, metrics, dir };
}

const canonical = () => new Map([0, 1, 2, 3].map((n) => [n, fakeHash("block", n)]));

Deno.test("a consistent, canonical set costs one call and sets nothing aside", async () => {
  const t = await setup(fakeHash("block", 2), canonical());
  assert.deepEqual(await t.b.checkCanonical(), []);
  assert.deepEqual(t.calls, [3], "only the highest block is asked");
  assert.deepEqual(t.store.batches(), [1, 2]);
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("a parent hash that disagrees with the stored batch below finds the replaced proof", async () => {
  // The chain replaced block 2 (and so 3): batch 3 was built after, batch 2 proved before.
  const chain = canonical();
  chain.set(2, fakeHash("new-block", 2));
  chain.set(3, fakeHash("block", 3));
  const t = await setup(fakeHash("new-block", 2), chain);
  assert.deepEqual(await t.b.checkCanonical(), [2]);
  assert.deepEqual(t.store.batches(), [1]);
  assert.equal(t.metrics.reorgs.get(), 1);
  assert.ok(t.lines.some((l) => /L2 reorg: blocks from 2 on were replaced/.test(l)));
  assert.deepEqual(await t.b.checkCanonical(), [], "checked once: nothing left to set aside");
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("a chain that lost its top blocks sets aside everything above what it still has", async () => {
  const chain = new Map([[0, fakeHash("block", 0)], [1, fakeHash("block", 1)]]);
  const t = await setup(fakeHash("block", 2), chain);
  assert.deepEqual((await t.b.checkCanonical()).sort(), [2, 3]);
  assert.deepEqual(t.store.batches(), [1]);
  await Deno.remove(t.dir, { recursive: true });
});
