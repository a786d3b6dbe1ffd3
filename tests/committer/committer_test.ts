/** The dev committer against real anvils: full batches at once, a partial one after max wait. */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { Committer } from "../../lib/committer/committer.ts";
import { planBatch } from "../../lib/committer/plan.ts";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { startL1 } from "../helpers/l1.ts";
import { mineTransfers, rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("planBatch: full batches, a partial one only after max wait", () => {
  const base = { lastCommittedBlock: 10, batchSize: 4, maxWaitMs: 100, now: 1000 };
  assert.deepEqual(planBatch({ ...base, head: 10 }), null);
  assert.deepEqual(planBatch({ ...base, head: 20 }), { first: 11, last: 14 });
  assert.deepEqual(planBatch({ ...base, head: 12, waitingSince: 950 }), null);
  assert.deepEqual(planBatch({ ...base, head: 12, waitingSince: 900 }), { first: 11, last: 12 });
});

Deno.test("committer: commits the L2's blocks in order, with their hashes and state roots", async () => {
  await using l2 = await startAnvil({ chainId: 1729 });
  const g = await rpcCall<{ hash: Hex; stateRoot: Hex }>(l2.url, "eth_getBlockByNumber", [
    "0x0",
    false,
  ]);
  await using l1 = await startL1({
    genesisBlockHash: g.hash,
    genesisStateRoot: g.stateRoot,
    chainId: 1729,
  });
  await mineTransfers(l2.url, 5);
  let now = 0;
  const committer = new Committer({
    l1: l1.committer,
    proposer: l1.proposer,
    l2: new RpcClient(l2.url),
    batchSize: 2,
    maxWaitMs: 1000,
    clock: () => now,
    log: memoryLogger().log,
  });
  assert.equal((await committer.step())?.lastBlock, 2);
  assert.equal((await committer.step())?.lastBlock, 4);
  assert.equal(await committer.step(), null, "block 5 alone waits for max wait");
  now += 1000;
  const third = await committer.step();
  assert.deepEqual([third?.batch, third?.firstBlock, third?.lastBlock], [3, 5, 5]);
  const view = new Proposer(l1.stranger, l1.proposer);
  assert.equal(await view.lastCommittedBatch(), 3);
  for (const n of [1, 2, 3]) {
    const b = await view.batch(n);
    const h = await rpcCall<{ hash: Hex; stateRoot: Hex }>(l2.url, "eth_getBlockByNumber", [
      `0x${b.lastBlock.toString(16)}`,
      false,
    ]);
    assert.equal(b.lastBlockHash, h.hash);
    assert.equal(b.stateRoot, h.stateRoot);
  }
  assert.equal(await committer.step(), null);
});
