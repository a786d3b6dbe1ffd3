/**
 * The scenario suite on a spec node: every block the scenarios make on a real geth (dev mode, its
 * genesis pinned to each fork below) executes statelessly in zkvm-host with no quirks, through
 * both witness paths (geth's debug_executionWitness, and traces + eth_getProof), to geth's own
 * post-state root. Skipped with the reason when geth or zkvm-host is not built (`make setup`).
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { gethBin } from "../../lib/devnet/geth.ts";
import { defaultHostBin, hostBinExists, runHost } from "../../lib/host/mod.ts";
import { buildProverInput } from "../../lib/witness/mod.ts";
import { witnessRoots } from "../../lib/witness/verify.ts";
import { ScenarioChain } from "../scenarios/chain.ts";
import { scenariosFor } from "../scenarios/scenarios.ts";

const HOST = defaultHostBin();
const reason = !hostBinExists(HOST)
  ? `no zkvm-host at ${HOST} (make host)`
  : !gethBin()
  ? "no geth (make geth installs the pinned one into .work/bin)"
  : undefined;
if (reason) console.log(`geth scenario suite skipped: ${reason}`);

/**
 * The forks the suite runs; GETH_FORKS=osaka,bpo1,bpo2 (any of cancun..bpo2) picks others. Older
 * ones (shanghai, paris) would need the scenario contracts compiled without MCOPY and PUSH0; the
 * EEST sample covers them.
 */
const FORKS = (Deno.env.get("GETH_FORKS") ?? "osaka,prague,cancun").split(",").map((f) => f.trim());

/** Scenarios that need what geth's dev mode cannot take from this harness. */
const SKIP = new Set([
  // since Osaka geth takes blob transactions only with cell proofs (EIP-7594), which need a KZG
  // library; the EEST sample covers blob gas instead
  "blob-tx",
]);

const PATHS = ["executionWitness", "proofs"] as const;

for (const fork of FORKS) {
  Deno.test({
    name: `geth (${fork}) scenario blocks verify through both witness paths with no quirks`,
    ignore: reason !== undefined,
    async fn(t) {
      await using chain = await ScenarioChain.startGeth(fork);
      const counts = { executionWitness: 0, proofs: 0 };
      let checked = await chain.head();
      for (const sc of scenariosFor(fork).filter((s) => !SKIP.has(s.name))) {
        await t.step(sc.name, async () => {
          await sc.run(chain, fork);
          const head = await chain.head();
          const failures: string[] = [];
          for (let n = checked + 1n; n <= head; n++) {
            for (const path of PATHS) {
              try {
                await checkBlock(chain, n, path, fork);
                counts[path]++;
              } catch (e) {
                failures.push(
                  `block ${n} (${sc.name}, ${path}): ${e instanceof Error ? e.message : e}`,
                );
              }
            }
          }
          checked = head;
          assert.deepEqual(failures, [], failures.join("\n"));
        });
      }
      console.log(
        `geth (${fork}): ${counts.executionWitness} blocks verified via debug_executionWitness, ` +
          `${counts.proofs} via traces + eth_getProof`,
      );
    },
  });
}

async function checkBlock(
  chain: ScenarioChain,
  n: bigint,
  path: (typeof PATHS)[number],
  fork: string,
): Promise<void> {
  const { input, stats } = await buildProverInput(chain.rpc, n, {
    useExecutionWitness: path === "executionWitness",
  });
  assert.deepEqual(input.quirks ?? [], [], "a spec node asks for no quirks");
  assert.equal(input.fork, fork, "the fork detected from the node");
  assert.equal(stats.source === "proofs", path === "proofs", `witness source ${stats.source}`);
  const header = await chain.rpc.request<{ stateRoot: Hex }>("eth_getBlockByNumber", [
    `0x${n.toString(16)}`,
    false,
  ]);
  const r = await runHost({ input, backend: "exec", hostBin: HOST });
  assert.equal(r.block.postStateRoot, header.stateRoot, "post-state root equals geth's");
  assert.equal(r.block.number, Number(n));
  if (path === "executionWitness" && fork === FORKS[0]) {
    // --check-witness on geth's witness, whose `keys` is null: the traced touches stand in
    const roots = await witnessRoots(chain.rpc, n, input);
    assert.equal(roots.node, roots.header, "the witness alone reproduces geth's root");
  }
}
