/** Leases and the job board under a hand-moved clock. */
import assert from "node:assert/strict";
import { JobBoard } from "../../lib/server/jobs.ts";
import { LeaseTable } from "../../lib/server/leases.ts";
import { serverMetrics } from "../../lib/server/metrics.ts";
import { FixedBatchSource, singleBlockBatches } from "../../lib/server/source.ts";
import { ProofStore } from "../../lib/store/proof_store.ts";
import { fakeFacts, fakeJob, fakeProof } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("a lease is live until it expires, then the block may be leased again", () => {
  const c = clock();
  const t = new LeaseTable(600_000, c.now);
  const l = t.grant(7, "a");
  assert.equal(l.expiresAt, c.now() + 600_000);
  assert.ok(t.isLive(7));
  c.advance(599_999);
  assert.ok(t.isLive(7));
  c.advance(1);
  assert.ok(!t.isLive(7));
  assert.ok(t.wasHandedOut(7), "an expired lease still counts as handed out (late proofs)");
  t.grant(7, "b");
  assert.equal(t.get(7)?.holder, "b");
  assert.equal(t.liveCount(), 1);
  t.release(7);
  assert.ok(!t.wasHandedOut(7));
});

async function board(range: [number, number], prefetch: number) {
  const c = clock();
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  const leases = new LeaseTable(1_000, c.now);
  const metrics = serverMetrics();
  const b = new JobBoard({
    source: new FixedBatchSource(singleBlockBatches(range[0], range[1])),
    build: (n) => Promise.resolve(fakeJob(n.number)),
    fetchFacts: (n) => Promise.resolve(fakeFacts(n.number)),
    store,
    leases,
    metrics,
    log: memoryLogger().log,
  }, { prefetch, pollMs: 10 });
  const fill = async () => {
    const ctrl = new AbortController();
    while (await b.fillOnce(ctrl.signal)) { /* build until the prefetch bound */ }
  };
  return { b, c, store, leases, metrics, fill, dir };
}

Deno.test("the board prefetches a bounded number of inputs and hands out lowest first", async () => {
  const { b, fill, dir } = await board([3, 100], 2);
  assert.equal(await b.take("x"), null, "nothing is handed out before it is built");
  await fill();
  assert.deepEqual(b.status().prepared, [3, 4]);
  assert.equal((await b.take("a"))?.batch.number, 3);
  assert.equal((await b.take("b"))?.batch.number, 4);
  assert.equal(await b.take("c"), null, "N clients get N different blocks; no block twice");
  await fill();
  assert.deepEqual(b.status().prepared, [3, 4, 5, 6], "leased inputs are kept for re-hand-out");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an expired lease makes its block available again, counted once", async () => {
  const { b, c, fill, metrics, dir } = await board([1, 1], 1);
  await fill();
  assert.equal((await b.take("a"))?.batch.number, 1);
  assert.equal(await b.take("b"), null);
  c.advance(1_000);
  assert.equal(b.sweepExpired(), 1);
  assert.equal(b.sweepExpired(), 0);
  assert.equal((await b.take("b"))?.batch.number, 1);
  assert.equal(metrics.leaseExpiries.get(), 1);
  assert.equal(metrics.handedOut.get(), 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stored blocks are never built or handed out", async () => {
  const { b, store, fill, dir } = await board([1, 4], 4);
  for (const n of [1, 3]) {
    await store.put({
      batchNumber: n,
      firstBlock: n,
      lastBlock: n,
      storedAt: "t",
      facts: fakeFacts(n),
      proof: fakeProof(fakeFacts(n)),
    });
  }
  await fill();
  assert.deepEqual(b.status().prepared, [2, 4]);
  assert.equal((await b.take("a"))?.batch.number, 2);
  b.complete(2);
  assert.equal((await b.take("a"))?.batch.number, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a block whose input cannot be built does not hold up later blocks", async () => {
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  const metrics = serverMetrics();
  const b = new JobBoard({
    source: new FixedBatchSource(singleBlockBatches(1, 3)),
    build: (n) =>
      n.number === 1
        ? Promise.reject(new Error("genesis mismatch"))
        : Promise.resolve(fakeJob(n.number)),
    fetchFacts: (n) => Promise.resolve(fakeFacts(n.number)),
    store,
    leases: new LeaseTable(1_000),
    metrics,
    log: memoryLogger().log,
  }, { prefetch: 2, pollMs: 10_000 });
  const ctrl = new AbortController();
  for (let i = 0; i < 10 && await b.fillOnce(ctrl.signal); i++) {
    /* until nothing is left to try */
  }
  assert.deepEqual(b.status().prepared, [2, 3]);
  assert.equal(
    metrics.inputBuildFailures.get(),
    1,
    "block 1 waits for its backoff, not retried hot",
  );
  assert.equal((await b.take("a"))?.batch.number, 2);
  await Deno.remove(dir, { recursive: true });
});
