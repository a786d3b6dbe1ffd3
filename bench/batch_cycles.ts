/**
 * Benchmark (not a test): zkVM cycles of one N-block batch against N single-block runs of the
 * same blocks, in risc0 dev mode. Starts its own anvil on a free loopback port, mines N blocks of
 * value transfers, builds each block's input, and runs the host on each block and on the merge.
 *
 *   RISC0_DEV_MODE=1 deno run -A bench/batch_cycles.ts [N=10] [txs per block=4]
 */
import { startAnvil } from "../lib/devnet/anvil.ts";
import { runHost } from "../lib/host/mod.ts";
import { mergeBlockInputs, type ProverInput } from "../lib/input/mod.ts";
import { RpcClient } from "../lib/rpc/mod.ts";
import { buildProverInput } from "../lib/witness/mod.ts";

const n = Number(Deno.args[0] ?? 10);
const txsPerBlock = Number(Deno.args[1] ?? 4);
const backend = (Deno.env.get("BENCH_BACKEND") ?? "risc0") as "risc0" | "exec";

await using anvil = await startAnvil({ args: ["--no-mining"] });
const rpc = new RpcClient(anvil.url);
const accounts = await rpc.request<string[]>("eth_accounts");
await rpc.request("evm_mine"); // block 1 commits to anvil's empty genesis state: never proved
for (let b = 0; b < n; b++) {
  for (let t = 0; t < txsPerBlock; t++) {
    const from = accounts[(b + t) % accounts.length];
    const to = accounts[(b + t + 1) % accounts.length];
    await rpc.request("eth_sendTransaction", [{ from, to, value: "0x1000" }]);
  }
  await rpc.request("evm_mine");
}
const inputs: ProverInput[] = [];
for (let block = 2; block < 2 + n; block++) {
  inputs.push((await buildProverInput(rpc, BigInt(block))).input);
}

let singles = 0;
for (const [i, input] of inputs.entries()) {
  const r = await runHost({ input, backend, devMode: true });
  singles += r.cycles.total ?? 0;
  console.error(`block ${i + 2}: ${r.cycles.total} cycles`);
}
const batch = await runHost({ input: mergeBlockInputs(inputs), backend, devMode: true });
const total = batch.cycles.total ?? 0;
const fmt = (c: number) => `${(c / 1e6).toFixed(2)} M`;
console.log(`${n} blocks of ${txsPerBlock} transfers, ${backend} dev mode`);
console.log(`  ${n} single-block runs: ${fmt(singles)} cycles, ${fmt(singles / n)} per block`);
console.log(`  one ${n}-block batch:   ${fmt(total)} cycles, ${fmt(total / n)} per block`);
console.log(`  batch / singles:       ${(total / singles).toFixed(3)}`);
