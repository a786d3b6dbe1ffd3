/** The batch planner: full batches at once, a partial one at the head only after its timeout. */
import assert from "node:assert/strict";
import { BatchPlanner } from "../../lib/batch/mod.ts";

function planner(
  batchSize: number,
  batchTimeoutMs: number,
  start = { nextBatch: 1, nextBlock: 1 },
) {
  let now = 1_000;
  const p = new BatchPlanner({ batchSize, batchTimeoutMs, clock: () => now }, start);
  return { p, tick: (ms: number) => (now += ms) };
}

Deno.test("planner: batch size 1 cuts every block at once, numbered in order", () => {
  const { p } = planner(1, 60_000);
  assert.deepEqual(p.plan(0), []);
  assert.deepEqual(p.plan(3), [
    { number: 1, firstBlock: 1, lastBlock: 1 },
    { number: 2, firstBlock: 2, lastBlock: 2 },
    { number: 3, firstBlock: 3, lastBlock: 3 },
  ]);
  assert.deepEqual(p.plan(3), [], "a block is never cut twice");
  assert.equal(p.lastPlannedBlock, 3);
  assert.equal(p.nextBatchNumber, 4);
});

Deno.test("planner: full batches at once, a partial batch only after the timeout", () => {
  const { p, tick } = planner(3, 10_000, { nextBatch: 5, nextBlock: 11 });
  assert.deepEqual(p.plan(17), [
    { number: 5, firstBlock: 11, lastBlock: 13 },
    { number: 6, firstBlock: 14, lastBlock: 16 },
  ]);
  // Block 17 waits for 18 and 19.
  assert.equal(p.msUntilPartial(), 10_000);
  tick(9_999);
  assert.deepEqual(p.plan(17), []);
  assert.equal(p.msUntilPartial(), 1);
  tick(1);
  assert.deepEqual(p.plan(18), [{ number: 7, firstBlock: 17, lastBlock: 18 }]);
  assert.equal(p.msUntilPartial(), null);
  // The wait starts when the next block appears, not when the last batch closed.
  tick(50_000);
  assert.deepEqual(p.plan(18), []);
  assert.deepEqual(p.plan(19), []);
  tick(10_000);
  assert.deepEqual(p.plan(19), [{ number: 8, firstBlock: 19, lastBlock: 19 }]);
});

Deno.test("planner: timeout 0 cuts at the head at once, Infinity never cuts a partial batch", () => {
  const eager = planner(10, 0).p;
  assert.deepEqual(eager.plan(4), [{ number: 1, firstBlock: 1, lastBlock: 4 }]);
  const { p, tick } = planner(10, Infinity);
  tick(1e12);
  assert.deepEqual(p.plan(9), []);
  assert.deepEqual(p.plan(12), [{ number: 1, firstBlock: 1, lastBlock: 10 }]);
  assert.equal(p.msUntilPartial(), null);
});

Deno.test("planner: a bad batch size or timeout is refused", () => {
  assert.throws(() => planner(0, 1), /batch size must be a positive integer/);
  assert.throws(() => planner(1.5, 1), /batch size/);
  assert.throws(() => planner(1, -1), /batch timeout/);
});
