/** prover-server with --on-chain-proposer checks accounts and verifier before anything else. */
import assert from "node:assert/strict";
import { runMain } from "../helpers/cli.ts";
import { ANVIL_KEYS, startL1 } from "../helpers/l1.ts";

Deno.test("prover-server --on-chain-proposer: refuses the committer's key and a verifier that cannot take its seals", async () => {
  await using l1 = await startL1();
  const dir = await Deno.makeTempDir();
  const base = {
    ETH_RPC_URL: l1.anvil.url,
    ON_CHAIN_PROPOSER_ADDRESS: l1.proposer,
    PROVER_SERVER_DATA_DIR: dir,
    PROVER_DATA_DIR: dir,
    RISC0_DEV_MODE: "1",
  };
  const same = await runMain(["prover-server"], {
    ...base,
    PROVER_SERVER_VERIFIER_PRIVATE_KEY: ANVIL_KEYS.committer,
  }, { cwd: dir });
  assert.equal(same.code, 1, same.stdout + same.stderr);
  assert.match(same.stderr, /is the OnChainProposer's committer/);
  assert.ok(!(same.stdout + same.stderr).includes(ANVIL_KEYS.committer.slice(2)), "key printed");

  const real = await runMain(["prover-server"], {
    ...base,
    RISC0_DEV_MODE: "0",
    PROVER_SERVER_VERIFIER_PRIVATE_KEY: ANVIL_KEYS.verifier,
  }, { cwd: dir });
  assert.equal(real.code, 2, real.stdout + real.stderr);
  assert.match(real.stderr, /refuses groth16 seals \(selector 0x73c457ba\)/);

  const noKey = await runMain(["prover-server"], base, { cwd: dir });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /PROVER_SERVER_VERIFIER_PRIVATE_KEY: is required/);
});
