/**
 * The proof sender on a real anvil L1 with the mock verifier: consecutive proofs in one
 * verifyBatches, an invalid seal discarded before any gas, a restart between send and
 * confirmation without a second transaction, and the refusals at start.
 */
import assert from "node:assert/strict";
import { encodeFunctionData, type Hex } from "viem";
import { OnChainProposer } from "../../lib/l1/artifacts.ts";
import { mockSeal } from "../../lib/host/seal.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { type BatchProofs, ProofSender } from "../../lib/settlement/sender.ts";
import { PendingStore } from "../../lib/settlement/pending.ts";
import { SettlementHealth } from "../../lib/settlement/health.ts";
import { serverMetrics } from "../../lib/server/metrics.ts";
import { type L1Fixture, startL1, word } from "../helpers/l1.ts";
import { rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

/** Proofs in memory, with what was discarded; batch b proves block b (`commitN`'s hash). */
class MemoryProofs implements BatchProofs {
  readonly seals = new Map<number, Hex>();
  /** A block hash other than the committed one, by batch. */
  readonly hashes = new Map<number, Hex>();
  readonly discarded: { batch: number; reason: string }[] = [];
  seal(b: number) {
    const seal = this.seals.get(b);
    const lastBlockHash = this.hashes.get(b) ?? word(`block ${b}`);
    return Promise.resolve(seal === undefined ? undefined : { seal, lastBlockHash });
  }
  discard(batch: number, reason: string) {
    this.seals.delete(batch);
    this.discarded.push({ batch, reason });
    return Promise.resolve();
  }
}

async function commitN(l1: L1Fixture, n: number, blocksPerBatch = 1) {
  const view = new Proposer(l1.committer, l1.proposer);
  for (let i = 0; i < n; i++) {
    const last = await view.lastCommittedBatch();
    const prev = await view.batch(last);
    const first = prev.lastBlock + 1;
    const lastBlock = first + blocksPerBatch - 1;
    await l1.committer.send({
      to: l1.proposer,
      data: Proposer.commitBatchData({
        number: last + 1,
        firstBlock: first,
        lastBlock,
        lastBlockHash: word(`block ${lastBlock}`),
        stateRoot: word(`state ${lastBlock}`),
      }),
      label: "commit",
    });
  }
}

/** Right mock seals of batches `from..to`, from the contract's own journals. */
async function prove(l1: L1Fixture, proofs: MemoryProofs, from: number, to: number) {
  const view = new Proposer(l1.stranger, l1.proposer);
  for (let b = from; b <= to; b++) {
    proofs.seals.set(b, mockSeal(l1.params.imageId, await view.journalOf(b)));
  }
}

async function nonce(l1: L1Fixture): Promise<number> {
  return Number(
    BigInt(
      await rpcCall<Hex>(l1.anvil.url, "eth_getTransactionCount", [l1.verifier.address, "latest"]),
    ),
  );
}

function open(l1: L1Fixture, proofs: MemoryProofs, dataDir: string, cap = 3) {
  return ProofSender.open({
    l1: l1.verifier,
    proposer: l1.proposer,
    proofs,
    dataDir,
    maxBatchesPerTx: cap,
    sealKind: "mock",
    log: memoryLogger().log,
  });
}

Deno.test("sender: consecutive proofs go in one verifyBatches up to the cap, until lastVerifiedBatch reaches the target", async () => {
  await using l1 = await startL1();
  await commitN(l1, 5);
  const proofs = new MemoryProofs();
  await prove(l1, proofs, 1, 2);
  await prove(l1, proofs, 4, 5); // 3 is missing: only 1..2 can go
  const sender = await open(l1, proofs, await Deno.makeTempDir());
  const first = await sender.step();
  assert.deepEqual([first?.firstBatch, first?.lastBatch], [1, 2]);
  assert.equal(await sender.step(), null, "batch 3 has no proof yet");
  await prove(l1, proofs, 3, 3);
  const second = await sender.step();
  assert.deepEqual([second?.firstBatch, second?.lastBatch], [3, 5]);
  assert.equal(await new Proposer(l1.stranger, l1.proposer).lastVerifiedBatch(), 5);
  assert.equal(await nonce(l1), 2, "two transactions for five batches");
});

Deno.test("sender: a tampered seal is discarded off-chain, before any gas is spent", async () => {
  await using l1 = await startL1();
  await commitN(l1, 2);
  const proofs = new MemoryProofs();
  await prove(l1, proofs, 1, 2);
  proofs.seals.set(1, mockSeal(word("other image"), "0x00"));
  const sender = await open(l1, proofs, await Deno.makeTempDir());
  assert.equal(await sender.step(), null);
  assert.equal(await nonce(l1), 0, "no transaction was sent");
  assert.deepEqual(proofs.discarded.map((d) => d.batch), [1]);
  assert.match(proofs.discarded[0].reason, /VerificationFailed/);
  // a Groth16-looking seal where the deployment takes mock seals is refused too
  proofs.seals.set(1, `0x73c457ba${"00".repeat(32)}`);
  assert.equal(await sender.step(), null);
  assert.match(proofs.discarded[1].reason, /selector 0x73c457ba/);
  await prove(l1, proofs, 1, 1); // re-proved
  assert.equal((await sender.step())?.lastBatch, 2);
});

Deno.test("sender: killed between send and confirmation, the restarted sender waits for the recorded tx instead of sending another", async () => {
  await using l1 = await startL1();
  await commitN(l1, 3);
  const proofs = new MemoryProofs();
  await prove(l1, proofs, 1, 3);
  const dir = await Deno.makeTempDir();
  await rpcCall(l1.anvil.url, "evm_setAutomine", [false]);
  const killed = new AbortController();
  const first = await open(l1, proofs, dir);
  const running = first.step(killed.signal);
  const store = new PendingStore(dir);
  for (let i = 0; i < 200 && !(await store.load()); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const recorded = await store.load();
  assert.ok(recorded, "the transaction is recorded before it is broadcast");
  killed.abort(); // the "crash": the process stops waiting; its transaction is in L1's pool
  await assert.rejects(running);

  // Restarted while the transaction is still unmined: it resumes waiting for that one.
  const restarted = await open(l1, proofs, dir);
  const resumed = restarted.step();
  await new Promise((r) => setTimeout(r, 100));
  await rpcCall(l1.anvil.url, "evm_mine");
  const done = await resumed;
  await rpcCall(l1.anvil.url, "evm_setAutomine", [true]);
  assert.deepEqual([done?.firstBatch, done?.lastBatch], [1, 3]);
  assert.equal(done?.tx, recorded.txs[0].hash, "the recorded transaction, not a new one");
  assert.equal(await nonce(l1), 1, "exactly one verify transaction");
  assert.equal(await store.load(), undefined);
  assert.equal(await restarted.step(), null);
  assert.equal(await nonce(l1), 1);
});

Deno.test("sender: refuses to start with the committer's key or a key that is not the verifier account", async () => {
  await using l1 = await startL1();
  const proofs = new MemoryProofs();
  const dir = await Deno.makeTempDir();
  const opts = {
    proposer: l1.proposer,
    proofs,
    dataDir: dir,
    maxBatchesPerTx: 1,
    log: memoryLogger().log,
  };
  await assert.rejects(
    ProofSender.open({ ...opts, l1: l1.committer, sealKind: "mock" }),
    /is the OnChainProposer's committer/,
  );
  await assert.rejects(
    ProofSender.open({ ...opts, l1: l1.stranger, sealKind: "mock" }),
    /is not the OnChainProposer's verifier account/,
  );
  await assert.rejects(
    ProofSender.open({ ...opts, l1: l1.verifier, sealKind: "groth16" }),
    /refuses groth16 seals/,
  );
});

Deno.test("sender: after a multi-batch verifyBatches reverts, the failing proof is discarded and batches go one by one", async () => {
  await using l1 = await startL1();
  await commitN(l1, 3);
  const proofs = new MemoryProofs();
  await prove(l1, proofs, 1, 3);
  // The owner changes the image id between the sender's pre-check and its transaction (the
  // pre-check read the old one), so all three seals pass off-chain and the transaction reverts.
  const setImageId = (id: Hex) =>
    l1.owner.send({
      to: l1.proposer,
      data: encodeFunctionData({
        abi: OnChainProposer.abi,
        functionName: "setImageId",
        args: [id],
      }),
      label: "setImageId",
    });
  let raced = false;
  const racing: BatchProofs = {
    seal: async (b) => {
      if (!raced) {
        raced = true;
        await setImageId(word("new image"));
      }
      return await proofs.seal(b);
    },
    discard: (b, r) => proofs.discard(b, r),
  };
  const metrics = serverMetrics();
  const sender = await ProofSender.open({
    l1: l1.verifier,
    proposer: l1.proposer,
    proofs: racing,
    dataDir: await Deno.makeTempDir(),
    maxBatchesPerTx: 3,
    sealKind: "mock",
    health: new SettlementHealth(memoryLogger().log, metrics),
    log: memoryLogger().log,
  });
  assert.equal(await sender.step(), null, "the run of three was refused");
  assert.deepEqual(proofs.discarded.map((d) => d.batch), [1]);
  assert.match(proofs.discarded[0].reason, /InvalidProof\(batch 1: VerificationFailed/);
  assert.equal(await nonce(l1), 0, "refused at the gas estimate: nothing sent");
  // /status health.l1 counts it, with the reason
  const health = sender.health.json();
  assert.equal(health.reverts, 1);
  assert.match(JSON.stringify(health.last_revert), /verifyBatches\(1\.\.3\).*InvalidProof/);
  assert.match(metrics.registry.render(), /prover_server_l1_reverts_total 1/);

  await setImageId(l1.params.imageId);
  await prove(l1, proofs, 1, 1);
  const one = await sender.step();
  assert.deepEqual([one?.firstBatch, one?.lastBatch], [1, 1], "batch by batch after the revert");
  const rest = await sender.step();
  assert.deepEqual([rest?.firstBatch, rest?.lastBatch], [2, 3], "runs again after a success");
});

Deno.test("sender: a stored proof whose block hash is not the one committed on L1 is never sent; verification halts visibly", async () => {
  await using l1 = await startL1();
  await commitN(l1, 3);
  const proofs = new MemoryProofs();
  await prove(l1, proofs, 1, 3);
  // Batch 2's proof is of another chain's block 2 (the seal is right for the contract's journal:
  // only the hash check can catch it).
  proofs.hashes.set(2, word("another chain's block 2"));
  const halted = { v: 0 };
  const health = new SettlementHealth(memoryLogger().log, {
    l1Up: { set: () => {} },
    l1Errors: { inc: () => {} },
    l1Reverts: { inc: () => {} },
    settlementHalted: { set: (v) => (halted.v = v) },
  });
  const { log, lines } = memoryLogger();
  const sender = await ProofSender.open({
    l1: l1.verifier,
    proposer: l1.proposer,
    proofs,
    dataDir: await Deno.makeTempDir(),
    maxBatchesPerTx: 3,
    sealKind: "mock",
    health,
    log,
  });
  const sent = await sender.step();
  assert.deepEqual([sent?.firstBatch, sent?.lastBatch], [1, 1], "only batch 1 goes");
  assert.equal(await sender.step(), null);
  assert.equal(await new Proposer(l1.stranger, l1.proposer).lastVerifiedBatch(), 1);
  assert.equal(await nonce(l1), 1);
  assert.deepEqual(proofs.discarded.map((d) => d.batch), [2]);
  assert.match(proofs.discarded[0].reason, /not the hash committed on L1 for batch 2/);
  assert.ok(lines.some((l) => /not sending the proof of batch 2.*halted at batch 2/.test(l)));
  assert.equal((health.json().halted as { batch: number } | null)?.batch, 2);
  assert.equal(halted.v, 2);
  // Re-proved from the committed chain: sent, and the halt is over.
  proofs.hashes.delete(2);
  await prove(l1, proofs, 2, 2);
  const rest = await sender.step();
  assert.deepEqual([rest?.firstBatch, rest?.lastBatch], [2, 3]);
  assert.equal(health.json().halted, null);
  assert.equal(halted.v, 0);
});
