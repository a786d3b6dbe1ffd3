/**
 * Every scenario block's witness is complete, checked without the Rust executor: applying the
 * block's state changes to the witness's partial tries reproduces the node's post-state root, and
 * the spec-correct root (zeroed slots and empty accounts deleted, branches collapsed) can be
 * computed from the witness too, so no node a read, write or collapse needs is missing. The spec's
 * root must differ from anvil's exactly in the blocks where anvil writes what the spec deletes,
 * and the scenarios must meet such a block (they zero slots).
 */
import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { buildProverInput } from "../../lib/witness/mod.ts";
import { blockRlpHash } from "../../lib/witness/rlp.ts";
import { witnessRoots } from "../../lib/witness/verify.ts";
import { NodeStore } from "../../lib/witness/trie.ts";
import { ScenarioChain } from "../scenarios/chain.ts";
import { scenariosFor } from "../scenarios/scenarios.ts";

// The host suite (tests/scenarios) runs every fork; this one needs no host, so one fork is enough.
for (const hardfork of [undefined]) {
  Deno.test(`witness of every scenario block is complete (${hardfork ?? "anvil default fork"})`, async (t) => {
    await using chain = await ScenarioChain.start(hardfork);
    let deviating = 0;
    for (const sc of scenariosFor(chain.fork)) {
      await t.step(sc.name, async () => {
        const first = (await chain.head()) + 1n;
        await sc.run(chain, chain.fork);
        for (let n = first; n <= (await chain.head()); n++) {
          const { input, stats } = await buildProverInput(chain.rpc, n);
          const block = await chain.rpc.request<{ hash: string; parentHash: string }>(
            "eth_getBlockByNumber",
            [`0x${n.toString(16)}`, false],
          );
          assert.equal(input.fork, chain.fork);
          assert.equal(blockRlpHash(input.block), block.hash);
          // the parent header is the last one and its hash is the block's parent hash
          assert.equal(keccak256(input.witness.headers.at(-1)!), block.parentHash);
          assert.equal(stats.collapse.unresolved, 0, `block ${n}: unresolved collapse nodes`);
          const roots = await witnessRoots(chain.rpc, n, input);
          assert.ok(NodeStore.of(input.witness.state).has(roots.preRoot));
          assert.equal(
            roots.node,
            roots.header,
            `block ${n} (${sc.name}): node-style root from the witness`,
          );
          // Where anvil writes as the spec does, the spec's root is anvil's; where it keeps a
          // zeroed slot or an empty account, the spec's root (which deletes them) is another.
          assert.equal(
            roots.canonical === roots.header,
            roots.deviations === 0,
            `block ${n} (${sc.name}): ${roots.deviations} writes off the spec, spec root ` +
              `${roots.canonical}, header ${roots.header}`,
          );
          if (roots.deviations) deviating++;
        }
      });
    }
    assert.ok(deviating > 0, "no scenario block met anvil's kept zeroed slots or empty accounts");
  });
}
