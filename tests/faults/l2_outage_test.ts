/**
 * Fault suite: the L2 node goes away and comes back as a different chain (a fresh anvil on the
 * same port: its blocks have other hashes). /status and /metrics must show the outage and its
 * last error, the recovery must be logged, and the proofs of the old chain must be set aside.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { recordFault } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { mineTransfers } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { ANVIL_L2_ARGS, hostMissing, l2Server, proveWithHost } from "./harness.ts";

const noHost = await hostMissing("L2 outage fault test");

Deno.test({
  name: "an L2 outage shows in /status and /metrics; the chain it comes back as is checked",
  ignore: noHost,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    let anvil = await startAnvil({ args: ANVIL_L2_ARGS });
    const port = anvil.port;
    const rpc = new RpcClient(anvil.url, { retries: 0, timeoutMs: 2_000 });
    const { log, lines } = memoryLogger();
    try {
      await mineTransfers(anvil.url, 4);
      await using s = await l2Server(rpc, join(dir, "server"), log);
      const client = (n: number, sub: string) =>
        proveWithHost(s.port, n, join(dir, sub), () => lines.join(""));
      await client(3, "c1");
      assert.deepEqual(s.store.batches(), [2, 3, 4]);

      await anvil.stop();
      await waitUntil(() => s.metrics.l2Up.get() === 0, 30_000, "outage seen");
      const health = s.status().health as Record<string, Record<string, unknown>>;
      const metricsText = s.metrics.registry.render();
      const down = health.l2.up === false && typeof health.l2.last_error === "string" &&
        /prover_server_l2_up 0/.test(metricsText);

      // another chain for sure: a genesis an hour later (two anvils started within one second
      // would otherwise mine the same blocks)
      const later = String(Math.floor(Date.now() / 1000) + 3600);
      anvil = await startAnvil({ args: [...ANVIL_L2_ARGS, "--timestamp", later], port });
      await mineTransfers(anvil.url, 4);
      await waitUntil(() => s.metrics.l2Up.get() === 1, 30_000, "recovery seen");
      await waitUntil(() => s.metrics.reorgs.get() >= 1, 30_000, "other chain seen");
      const recovered = lines.some((l) => /the L2 node is reachable again/.test(l));
      const lastReorg = s.status().last_reorg as { storedProofs: number } | null;
      await client(3, "c2");
      const ok = down && recovered && lastReorg?.storedProofs === 3 &&
        JSON.stringify(s.store.batches()) === "[2,3,4]";
      await recordFault({
        fault: "L2 down, back as a different chain",
        expected: "down in /status+/metrics; recovery logged; old proofs set aside, re-proved",
        observed: `${down ? "l2.up false + last_error, l2_up 0" : "NOT shown"}; recovery ` +
          `${recovered ? "logged" : "NOT logged"}; ${lastReorg?.storedProofs} proofs set aside; ` +
          `stored [${s.store.batches()}]`,
        ok,
      });
      assert.ok(down, JSON.stringify(health));
      assert.ok(recovered);
      assert.equal(lastReorg?.storedProofs, 3);
      assert.deepEqual(s.store.batches(), [2, 3, 4]);
    } finally {
      await anvil.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
