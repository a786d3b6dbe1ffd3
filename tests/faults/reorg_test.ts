/**
 * Fault suite: an L2 reorg on a real anvil (`anvil_reorg`). The server holds stored proofs, a
 * lease and prepared inputs of blocks the reorg replaces; it must set them aside, refuse a proof
 * of a replaced block, and prove the new blocks. Clients run the real zkvm-host (exec backend).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostProver } from "../../lib/client/host_prover.ts";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { recordFault } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { mineTransfers, rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { ANVIL_L2_ARGS, HOST_BIN, hostMissing, l2Server, proveWithHost } from "./harness.ts";

const noHost = await hostMissing("reorg fault test");

Deno.test({
  name: "a reorg sets aside what it replaced, refuses a stale proof, proves the new blocks",
  ignore: noHost,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    await using anvil = await startAnvil({ args: ANVIL_L2_ARGS });
    const rpc = new RpcClient(anvil.url);
    const { log, lines } = memoryLogger();
    try {
      await mineTransfers(anvil.url, 6);
      await using s = await l2Server(rpc, join(dir, "server"), log);
      const addr = { host: "127.0.0.1", port: s.port };
      const prove = hostProver({ backend: "exec", devMode: true, hostBin: HOST_BIN });
      const client = (n: number, sub: string) =>
        proveWithHost(s.port, n, join(dir, sub), () => `server:\n${lines.join("")}`);
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
