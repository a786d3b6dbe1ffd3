/**
 * anvil as operators start it: without opcode steps in its traces the builder cannot see which
 * ancestors BLOCKHASH reads, so it includes all of them (up to 256); and block 1 cannot be proved
 * at all, because anvil's genesis header does not commit to the funded accounts.
 */
import assert from "node:assert/strict";
import { defaultHostBin, hostBinExists, runHost } from "../../lib/host/mod.ts";
import { buildProverInput, WitnessBuildError } from "../../lib/witness/mod.ts";
import { calldata, ScenarioChain } from "../scenarios/chain.ts";

Deno.test("without --steps-tracing, a block that may run BLOCKHASH gets every ancestor header", async () => {
  await using chain = await ScenarioChain.start(undefined, { stepsTracing: false });
  const hashes = await chain.deploy("Hashes");
  for (let i = 0; i < 5; i++) await chain.mine();
  await chain.send({ to: hashes, data: calldata("Hashes", "record", [[1n, 3n]]) });
  const n = await chain.mine();
  const { input, stats } = await buildProverInput(chain.rpc, n);
  assert.equal(stats.ancestors.mode, "all256");
  assert.equal(input.witness.headers.length, Number(n)); // blocks 0..n-1
  if (hostBinExists()) {
    const r = await runHost({ input, backend: "exec", hostBin: defaultHostBin() });
    assert.equal(r.block.number, Number(n));
  }
  // a block without such code needs only its parent
  await chain.send({ to: chain.address(3), value: 1n });
  const plain = await chain.mine();
  const p = await buildProverInput(chain.rpc, plain);
  assert.equal(p.stats.ancestors.mode, "none");
  assert.equal(p.input.witness.headers.length, 1);
});

Deno.test("block 1 of anvil is refused with the reason: its parent's state root commits to nothing", async () => {
  await using chain = await ScenarioChain.start(undefined, { mineFirst: false });
  await chain.send({ to: chain.address(1), value: 1n });
  await chain.mine();
  await assert.rejects(
    buildProverInput(chain.rpc, 1n),
    (e: Error) =>
      e instanceof WitnessBuildError &&
      /empty state root .* cannot be proved statelessly/.test(e.message),
  );
  await assert.rejects(buildProverInput(chain.rpc, 0n), /genesis/);
});
