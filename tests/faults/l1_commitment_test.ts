/**
 * Fault suite, with settlement: the L2 behind --l2-rpc is not the chain committed on L1. Real
 * anvils for L1 (contracts by deployLocal) and L2 (4 batches of 2 blocks committed), the
 * prover-server use case in-process with --on-chain-proposer, exec clients on the real host.
 * The L2 is switched to another chain, back, then reorged below what was committed; last, L1
 * goes away. Each time the server must say so (log, /status, /metrics), hand out and send nothing
 * of the blocks L1 did not commit, and halt verification there instead of going on silently.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { proverServerSettings, startProverService } from "../../lib/server/serve.ts";
import { recordFault } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { mineTransfers, rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { committedChains } from "../helpers/settled.ts";
import { hostMissing, proveWithHost, rpcSwitch } from "./harness.ts";

const noHost = await hostMissing("L1 commitment fault test");

type Health = Record<string, Record<string, unknown>>;

Deno.test({
  name:
    "with settlement, an L2 that is not the chain committed on L1 halts verification visibly; L1 going away shows in health",
  ignore: noHost,
  fn: async () => {
    // Batches 1..4 = blocks 2-3, 4-5, 6-7, 8-9.
    await using c = await committedChains(8);
    // Another chain: a later genesis, as many blocks.
    const later = String(Math.floor(Date.now() / 1000) + 3600);
    await using other = await startAnvil({ chainId: 1729, args: ["--timestamp", later] });
    await mineTransfers(other.url, 9);
    await using l2 = await rpcSwitch(c.l2.url);
    const { config } = loadConfig(proverServerSettings, {
      flags: {
        listenIp: "127.0.0.1",
        listenPort: "0",
        l2Rpc: l2.url,
        dataDir: join(c.dir, "server"),
        acceptExecProofs: true,
        pollInterval: "50ms",
      },
      env: c.serverEnv,
      envFile: {},
    });
    const { log, lines } = memoryLogger();
    const stop = new AbortController();
    await using svc = await startProverService(config, log, stop.signal);
    const s = svc.server;
    const ctx = () => `server:\n${lines.join("")}`;
    const health = () => s.status().health as Health;
    const nonce = async () =>
      Number(
        BigInt(
          await rpcCall<string>(c.l1.url, "eth_getTransactionCount", [c.verifierAccount, "latest"]),
        ),
      );
    const verified = () => c.view.lastVerifiedBatch();
    const noWork = async () => {
      for (let i = 0; i < 3; i++) {
        const r = await exchange({ host: "127.0.0.1", port: s.port }, { kind: "Request" });
        if (r.kind !== "Response" || r.batchNumber !== null) return false;
      }
      return true;
    };

    await proveWithHost(s.port, 1, join(c.dir, "c1"), ctx);
    await waitUntil(async () => (await verified()) === 1, 30_000, "batch 1 verified");

    // 1. --l2-rpc now serves another chain: batches 2..4 are not the committed blocks.
    l2.switchTo(other.url);
    await waitUntil(() => s.metrics.l1HashMismatches.get() === 3, 30_000, "3 mismatches");
    const handedOut = s.metrics.handedOut.get();
    const nonceHalted = await nonce();
    const commitment = health().l1_commitment as {
      mismatched: { batch: number }[];
      verification_halted_at: number | null;
    };
    const errorLine = lines.find((l) => /was committed on L1 with last block hash/.test(l)) ?? "";
    const idle = await noWork();
    const metricsText = s.metrics.registry.render();
    const halted = commitment.verification_halted_at === 2 &&
      JSON.stringify(commitment.mismatched.map((m) => m.batch)) === "[2,3,4]" &&
      /no batch from 2 on can be verified on L1.*Point --l2-rpc at/.test(errorLine) &&
      /prover_server_l1_hash_mismatches 3/.test(metricsText) && idle &&
      s.metrics.handedOut.get() === handedOut && (await verified()) === 1 &&
      (await nonce()) === nonceHalted;

    // 2. Back on the committed chain: it goes on by itself.
    l2.switchTo(c.l2.url);
    await waitUntil(() => s.metrics.l1HashMismatches.get() === 0, 30_000, "mismatches cleared");
    const resumedLine = lines.some((l) => /is the block committed on L1 for batch 2 again/.test(l));
    await proveWithHost(s.port, 2, join(c.dir, "c2"), ctx);
    await waitUntil(async () => (await verified()) === 3, 30_000, "batches 2..3 verified");

    // 3. The L2 reorgs below what was committed: block 9, batch 4's last, is replaced.
    const [from] = await rpcCall<string[]>(c.l2.url, "eth_accounts");
    await rpcCall(c.l2.url, "anvil_reorg", [1, [[{ from, to: from, value: "0x1" }, 0]]]);
    await waitUntil(() => s.metrics.l1HashMismatches.get() === 1, 30_000, "reorg below commit");
    const reorged = (health().l1_commitment as { verification_halted_at: number | null })
          .verification_halted_at === 4 &&
      !s.store.has(4) && await noWork() &&
      (await verified()) === 3;

    const ok = halted && resumedLine && reorged;
    await recordFault({
      fault: "settlement: --l2-rpc serves another chain, then reorgs below what L1 committed",
      expected: "error logged; health.l1_commitment + metric; nothing handed out or sent; " +
        "resumes when the L2 agrees again",
      observed: `halted at batch ${commitment.verification_halted_at} (mismatched ` +
        `[${commitment.mismatched.map((m) => m.batch)}]), error logged, ` +
        `${idle ? "no work handed out" : "WORK HANDED OUT"}, lastVerifiedBatch ` +
        `${halted ? "stays 1, no tx" : "MOVED"}; ${resumedLine ? "resumed, 1..3 verified" : ""}` +
        `; reorg below the commit: ${reorged ? "halted at 4" : "NOT halted"}`,
      ok,
    });
    assert.ok(halted, `${JSON.stringify(commitment)}\n${errorLine}\n${ctx()}`);
    assert.ok(resumedLine, ctx());
    assert.ok(reorged, JSON.stringify(health().l1_commitment));

    // 4. L1 goes away: the proof sender's health says so.
    await c.l1.stop();
    await waitUntil(() => s.metrics.l1Up.get() === 0, 30_000, "L1 down seen");
    const l1 = health().l1;
    const l1Text = s.metrics.registry.render();
    const l1Shown = l1.up === false && typeof l1.last_error === "string" &&
      /prover_server_l1_up 0/.test(l1Text) && /prover_server_l1_errors_total [1-9]/.test(l1Text) &&
      lines.some((l) => /cannot reach L1 \(attempt 1\).*ETH_RPC_URL/.test(l));
    await recordFault({
      fault: "settlement: L1 unreachable",
      expected: "health.l1 down with last_error; prover_server_l1_up 0; logged with what to check",
      observed: `health.l1.up ${l1.up}, last_error "${
        String(l1.last_error).slice(0, 40)
      }", l1_up ${s.metrics.l1Up.get()}; logged`,
      ok: l1Shown,
    });
    assert.ok(l1Shown, `${JSON.stringify(l1)}\n${l1Text}`);
    if (Deno.env.get("SHOW_LOG")) {
      console.log(lines.filter((l) => /"(warn|error)"/.test(l)).join(""));
    }
    stop.abort();
  },
});
