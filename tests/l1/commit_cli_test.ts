/** `deploy` then `commit` as an operator runs them, on two anvils; the L1 batch source sees the batches. */
import assert from "node:assert/strict";
import type { Address } from "viem";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { L1BatchSource } from "../../lib/settlement/source.ts";
import { runMain } from "../helpers/cli.ts";
import { ANVIL_KEYS, l1Client } from "../helpers/l1.ts";
import { mineTransfers } from "../helpers/l2.ts";
import { spawnMain } from "../helpers/procs.ts";

Deno.test("commit: follows the L2 head and commits each block range in order; L1BatchSource lists them", async () => {
  await using l1 = await startAnvil();
  await using l2 = await startAnvil({ chainId: 1729 });
  const dir = await Deno.makeTempDir();
  const env = {
    ETH_RPC_URL: l1.url,
    L2_RPC_URL: l2.url,
    DEPLOYER_PRIVATE_KEY: ANVIL_KEYS.owner,
    COMMITTER_L1_PRIVATE_KEY: ANVIL_KEYS.committer,
    PROVER_SERVER_VERIFIER_PRIVATE_KEY: ANVIL_KEYS.verifier,
    // dev mode: the local mock verifier takes these seals
    RISC0_DEV_MODE: "1",
  };
  const d = await runMain(["deploy", "--write-env", `${dir}/.env`], env, { cwd: dir });
  assert.equal(d.code, 0, d.stdout + d.stderr);
  const proposer = /^ON_CHAIN_PROPOSER_ADDRESS=(0x[0-9a-fA-F]{40})$/m.exec(d.stdout)![1] as Address;
  await mineTransfers(l2.url, 3);
  // ON_CHAIN_PROPOSER_ADDRESS comes from the .env file deploy wrote.
  await using committer = spawnMain([
    "commit",
    "--env-file",
    `${dir}/.env`,
    "--commit-batch-size",
    "1",
    "--poll-interval",
    "100ms",
  ], env);
  await committer.waitFor(/committed batch 3: blocks 3\.\.3/, 60_000);
  assert.ok(!committer.output().includes(ANVIL_KEYS.committer.slice(2)), "key printed");
  await committer.stop();

  const source = new L1BatchSource(await l1Client(l1.url), proposer);
  const pending = await source.pending();
  assert.deepEqual(pending.map((b) => [b.number, b.firstBlock, b.lastBlock]), [
    [1, 1, 1],
    [2, 2, 2],
    [
      3,
      3,
      3,
    ],
  ]);
});
