/**
 * The server's check of the L2 against the hashes committed on L1 (settlement), on the fake
 * chain over loopback: a batch the L2 disagrees with L1 about is never handed out and a proof of
 * it is not taken; a stored proof of another hash than L1's is set aside and proved again.
 */
import assert from "node:assert/strict";
import { exchange } from "../../lib/protocol/transport.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { type Batch, FixedBatchSource } from "../../lib/server/source.ts";
import { ProofStore } from "../../lib/store/proof_store.ts";
import { fakeFacts, fakeHash, fakeProof, testServerOptions } from "../helpers/fake_chain.ts";
import { waitUntil } from "../helpers/wait.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

// With the L2's hashes asked (production), and with only the built inputs to go by.
for (const asksL2 of [true, false]) {
  Deno.test(`committed hashes${asksL2 ? "" : " (no block hash source)"}: a batch the L2 disagrees about is not handed out nor taken; a stored proof of another hash is proved again`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      // Batch 3 was proved (and stored) from another chain before this start.
      const other = { ...fakeFacts(3), lastBlockHash: fakeHash("other block", 3) };
      const store = await ProofStore.open(dir);
      await store.put({
        batchNumber: 3,
        firstBlock: 3,
        lastBlock: 3,
        storedAt: new Date(0).toISOString(),
        facts: other,
        proof: fakeProof(other),
      });
      // As L1 committed them: batch 2 with a hash the L2 does not have.
      const committed: Batch[] = [1, 2, 3].map((n) => ({
        number: n,
        firstBlock: n,
        lastBlock: n,
        lastBlockHash: n === 2 ? fakeHash("committed elsewhere", 2) : fakeHash("block", n),
      }));
      const { log, lines } = memoryLogger();
      await using s = await startProverServer(testServerOptions(dir, {
        source: new FixedBatchSource(committed),
        blockHash: asksL2 ? (n) => Promise.resolve(fakeHash("block", n)) : undefined,
        log,
      }));
      const addr = { host: "127.0.0.1", port: s.port };
      await waitUntil(() => s.metrics.l1HashMismatches.get() === 1, 5_000, "mismatch seen");
      const handed: number[] = [];
      await waitUntil(
        async () => {
          const r = await exchange(addr, { kind: "Request" });
          if (r.kind === "Response" && r.batchNumber !== null) handed.push(r.batchNumber);
          return handed.length >= 2;
        },
        5_000,
        "two hand-outs",
      );
      for (let i = 0; i < 3; i++) {
        const r = await exchange(addr, { kind: "Request" });
        assert.equal(r.kind === "Response" && r.batchNumber, null, "batch 2 is never handed out");
      }
      assert.deepEqual(handed.sort(), [1, 3], "batch 3 again: its stored proof was set aside");
      // Set aside by the reorg check, or (without it) by the check against L1's hash.
      const why = asksL2 ? /L2 reorg/ : /setting aside the stored proof of batch 3/;
      assert.ok(lines.some((l) => why.test(l)), lines.join(""));
      const aside = [...Deno.readDirSync(`${dir}/proofs/discarded`)].map((e) => e.name);
      assert.ok(aside.some((n) => n.startsWith("batch-000000000003")), aside.join(", "));

      const health = s.status().health as Record<string, Record<string, unknown>>;
      const c = health.l1_commitment as {
        mismatched: { batch: number; l2Hash: string; committedHash: string }[];
        verification_halted_at: number;
      };
      assert.deepEqual(c.mismatched.map((m) => m.batch), [2]);
      assert.equal(c.mismatched[0].l2Hash, fakeHash("block", 2));
      assert.equal(c.mismatched[0].committedHash, fakeHash("committed elsewhere", 2));
      assert.equal(c.verification_halted_at, 2);
      assert.match(s.metrics.registry.render(), /prover_server_l1_hash_mismatches 1/);

      // A proof of the L2's block 2 (not the committed one) is not taken.
      const refused = await exchange(addr, {
        kind: "Submit",
        batchNumber: 2,
        proof: fakeProof(fakeFacts(2)),
      });
      assert.equal(refused.kind, "Error");
      assert.match(
        refused.kind === "Error" ? refused.message : "",
        /not the ones committed on L1|committed on L1/,
      );
      assert.equal(s.store.has(2), false);
      // Proofs of the batches L1 and the L2 agree about are.
      for (const n of [1, 3]) {
        const ack = await exchange(addr, {
          kind: "Submit",
          batchNumber: n,
          proof: fakeProof(fakeFacts(n)),
        });
        assert.equal(ack.kind, "SubmitAck", JSON.stringify(ack));
      }
      assert.deepEqual(s.store.batches(), [1, 3]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
