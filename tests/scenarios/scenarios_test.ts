/**
 * The scenario suite: every block the scenarios mine on a real anvil (at its default fork, prague
 * and cancun) executes statelessly in zkvm-host (exec backend). With the input asking for anvil's
 * quirks the host must reproduce the node's post-state root; with none it must compute the
 * spec-correct root, which differs from anvil's where anvil keeps zeroed slots or touched empty
 * accounts (then the host reports StateRootMismatch with the root TypeScript computes too), or
 * keeps blob sidecars in the block body (SidecarInBody).
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { defaultHostBin, hostBinExists, InvalidBlockError, runHost } from "../../lib/host/mod.ts";
import { buildProverInput } from "../../lib/witness/mod.ts";
import { witnessRoots } from "../../lib/witness/verify.ts";
import { ScenarioChain } from "./chain.ts";
import { scenariosFor } from "./scenarios.ts";

const HOST = defaultHostBin();
const available = hostBinExists(HOST);
if (!available) {
  console.log(`scenario suite skipped: no zkvm-host at ${HOST} (build it or set ZKVM_HOST_BIN)`);
}

for (const hardfork of [undefined, "prague", "cancun"]) {
  Deno.test({
    name: `scenario blocks execute statelessly in zkvm-host (${hardfork ?? "anvil default fork"})`,
    ignore: !available,
    async fn(t) {
      await using chain = await ScenarioChain.start(hardfork);
      for (const sc of scenariosFor(chain.fork)) {
        await t.step(sc.name, async () => {
          const first = (await chain.head()) + 1n;
          await sc.run(chain, chain.fork);
          for (let n = first; n <= (await chain.head()); n++) await checkBlock(chain, n, sc.name);
        });
      }
    },
  });
}

async function checkBlock(chain: ScenarioChain, n: bigint, scenario: string): Promise<void> {
  const where = `block ${n} (${scenario}, ${chain.fork})`;
  const { input } = await buildProverInput(chain.rpc, n);
  assert.deepEqual(input.quirks, ["anvil"], `${where}: anvil's quirks are asked for`);
  const roots = await witnessRoots(chain.rpc, n, input);
  assert.equal(roots.node, roots.header, `${where}: the witness reproduces the node's root`);

  const asAnvil = await runHost({ input, backend: "exec", hostBin: HOST });
  assert.equal(asAnvil.block.postStateRoot, roots.header, `${where}: host root with anvil quirks`);
  assert.equal(asAnvil.block.number, Number(n));

  const spec = { ...input, quirks: undefined };
  const block = await chain.rpc.request<{ transactions: { type: Hex }[] }>("eth_getBlockByNumber", [
    `0x${n.toString(16)}`,
    true,
  ]);
  if (block.transactions.some((tx) => BigInt(tx.type) === 3n)) {
    // anvil keeps blob sidecars in the block body (its transactions root commits to them)
    const err = await runHost({ input: spec, backend: "exec", hostBin: HOST }).catch((e) => e);
    assert.ok(err instanceof InvalidBlockError, `${where}: expected SidecarInBody, got ${err}`);
    assert.equal(err.code, "SidecarInBody", where);
    return;
  }
  if (roots.canonical === roots.header) {
    const r = await runHost({ input: spec, backend: "exec", hostBin: HOST });
    assert.equal(r.block.postStateRoot, roots.header, `${where}: host root by the spec`);
    return;
  }
  // anvil's root breaks the spec here: the executor must say so, with the spec's root.
  const err = await runHost({ input: spec, backend: "exec", hostBin: HOST }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof InvalidBlockError, `${where}: expected StateRootMismatch, got ${err}`);
  assert.equal(err.code, "StateRootMismatch", where);
  const computed = /computed (0x[0-9a-f]{64})/i.exec(err.message)?.[1] as Hex | undefined;
  assert.equal(
    computed?.toLowerCase(),
    roots.canonical,
    `${where}: the host's spec root equals TypeScript's`,
  );
}
