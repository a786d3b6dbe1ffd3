/**
 * Fault suite: an L2 reorg on a real anvil (`anvil_reorg`). The server holds stored proofs, a
 * lease and prepared inputs of blocks the reorg replaces; it must set them aside, refuse a proof
 * of a replaced block, and prove the new blocks. Clients run the real zkvm-host (exec backend).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runProverClient } from "../../lib/client/client.ts";
import { hostProver } from "../../lib/client/host_prover.ts";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { l2BlockHash, l2FactsFetcher, l2JobBuilder } from "../../lib/server/l2_jobs.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { ChainHeadSource } from "../../lib/server/source.ts";
import { noReceiptVerifier } from "../../lib/server/submissions.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { recordFault, waitUntil } from "../helpers/fault_matrix.ts";
import { mineTransfers, rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) console.log(`SKIP reorg fault test: zkvm-host not found at ${HOST_BIN}`);

Deno.test({
  name: "a reorg sets aside what it replaced, refuses a stale proof, proves the new blocks",
  ignore: hostMissing,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    await using anvil = await startAnvil({
      // A constant (zero) base fee: the blocks anvil_reorg mines otherwise carry a base fee
      // computed from the old head, which the executor rightly refuses.
      args: ["--hardfork", "prague", "--block-base-fee-per-gas", "0"],
    });
    const rpc = new RpcClient(anvil.url);
    const { log, lines } = memoryLogger();
    try {
      await mineTransfers(anvil.url, 6);
      await using s = await startProverServer({
        hostname: "127.0.0.1",
        port: 0,
        dataDir: join(dir, "server"),
        source: new ChainHeadSource(rpc, { fromBlock: 2, batchSize: 1, batchTimeoutMs: 0 }),
        build: l2JobBuilder(rpc),
        fetchFacts: l2FactsFetcher(rpc),
        blockHash: l2BlockHash(rpc),
        verifyReceipt: noReceiptVerifier,
        acceptExecProofs: true,
        leaseMs: 60_000,
        prefetch: 2,
        pollMs: 50,
        maxMessageBytes: 64 * 1024 * 1024,
        readTimeoutMs: 10_000,
        log,
      });
      const addr = { host: "127.0.0.1", port: s.port };
      const prove = hostProver({ backend: "exec", devMode: true, hostBin: HOST_BIN });
      const clientLog = memoryLogger();
      /** Proves `n` batches; fails (with both logs) if that takes over a minute. */
      const client = async (n: number, sub: string) => {
        const stop = AbortSignal.timeout(60_000);
        const stats = await runProverClient({
          server: addr,
          intervalMs: 50,
          dataDir: join(dir, sub),
          prove,
          log: clientLog.log,
          tty: false,
          maxProofs: n,
        }, stop);
        if (stop.aborted) {
          throw new Error(
            `client proved ${stats.acknowledged}/${n} in 60 s\nserver:\n${lines.join("")}\n` +
              `client:\n${clientLog.lines.join("")}`,
          );
        }
      };
      // From block 2: anvil's genesis does not commit to its state, so block 1 is not provable.
      await client(5, "c1");
      assert.deepEqual(s.store.batches(), [2, 3, 4, 5, 6]);

      // Block 7 is handed out and proved on the old chain; then blocks 5..7 are replaced.
      await mineTransfers(anvil.url, 1);
      let job: { batchNumber: number | null; input: Record<string, unknown> | null } | undefined;
      await waitUntil(
        async () => {
          const r = await exchange(addr, { kind: "Request" });
          if (r.kind === "Response" && r.batchNumber !== null) {
            job = { batchNumber: r.batchNumber, input: r.input as Record<string, unknown> };
          }
          return job !== undefined;
        },
        30_000,
        "batch 7 handed out",
      );
      const j = job!;
      assert.equal(j.batchNumber, 7);
      const stale = await prove({
        batchNumber: 7,
        firstBlock: 7,
        lastBlock: 7,
        input: j.input!,
        workDir: join(dir, "stale"),
      }, { signal: new AbortController().signal, onProgress: () => {} });
      const oldHash = (await rpcCall<{ hash: string }>(anvil.url, "eth_getBlockByNumber", [
        "0x5",
        false,
      ])).hash;
      const [from] = await rpcCall<string[]>(anvil.url, "eth_accounts");
      await rpcCall(anvil.url, "anvil_reorg", [3, [[{ from, to: from, value: "0x1" }, 0]]]);
      const newHash = (await rpcCall<{ hash: string }>(anvil.url, "eth_getBlockByNumber", [
        "0x5",
        false,
      ])).hash;
      assert.notEqual(newHash, oldHash, "anvil_reorg replaced block 5");

      const refused = await exchange(addr, { kind: "Submit", batchNumber: 7, proof: stale });
      await waitUntil(() => s.metrics.reorgs.get() >= 1, 30_000, "reorg detected");
      const reorgLine = lines.find((l) => l.includes("L2 reorg: blocks from")) ?? "";
      await client(3, "c2");
      // Every stored proof is of the canonical chain now.
      const stored = s.store.batches();
      const mismatched: number[] = [];
      for (const n of stored) {
        const h = s.store.hashesOf(n)!;
        const b = await rpcCall<{ hash: string }>(anvil.url, "eth_getBlockByNumber", [
          `0x${h.lastBlock.toString(16)}`,
          false,
        ]);
        if (b.hash.toLowerCase() !== h.lastBlockHash) mismatched.push(n);
      }
      const discarded: string[] = [];
      for await (const e of Deno.readDir(join(dir, "server", "proofs", "discarded"))) {
        if (e.name.endsWith(".json")) discarded.push(e.name);
      }
      const status = s.status();
      const ok = refused.kind === "Error" && refused.code === "journal_mismatch" &&
        /reorg/.test(reorgLine) && discarded.length === 2 && mismatched.length === 0 &&
        JSON.stringify(stored) === "[2,3,4,5,6,7]" && status.reorgs_seen === 1;
      await recordFault({
        fault: "anvil_reorg replaces blocks 5..7 (2 proved, 1 leased)",
        expected: "logged; 2 proofs set aside; stale proof refused; new blocks proved",
        observed: `${reorgLine ? "logged" : "NOT logged"}; ${discarded.length} set aside; stale ` +
          `Submit ${refused.kind === "Error" ? refused.code : refused.kind}; stored [${stored}], ` +
          `${mismatched.length} non-canonical`,
        ok,
      });
      assert.equal(refused.kind === "Error" && refused.code, "journal_mismatch");
      assert.match(reorgLine, /blocks from \d+ on were replaced/);
      assert.equal(discarded.length, 2, discarded.join(", "));
      assert.deepEqual(mismatched, []);
      assert.deepEqual(stored, [2, 3, 4, 5, 6, 7]);
      assert.equal(status.reorgs_seen, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
