/** `deploy` as an operator runs it, against two real anvils (L1 and L2). */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { deployGroth16Verifier } from "../../lib/l1/deploy.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { rulesDigest } from "../../lib/input/rules.ts";
import { normalizeForkName } from "../../lib/witness/fork.ts";
import { runMain } from "../helpers/cli.ts";
import { ANVIL_KEYS, l1Client } from "../helpers/l1.ts";
import { rpcCall } from "../helpers/l2.ts";

const COMMITTER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const VERIFIER: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

Deno.test("deploy: mock verifier + router + OnChainProposer for the L2's genesis and rules; .env lines; key never printed", async () => {
  await using l1 = await startAnvil();
  await using l2 = await startAnvil({ chainId: 1729 });
  const dir = await Deno.makeTempDir();
  const envFile = join(dir, "deploy.env");
  await Deno.writeTextFile(envFile, "KEEP_ME=1\nON_CHAIN_PROPOSER_ADDRESS=0xold\n");
  const env = {
    ETH_RPC_URL: l1.url,
    L2_RPC_URL: l2.url,
    DEPLOYER_PRIVATE_KEY: ANVIL_KEYS.owner,
    COMMITTER_L1_ADDRESS: COMMITTER,
    PROVER_SERVER_VERIFIER_ADDRESS: VERIFIER,
    LOG_FORMAT: "json",
    RISC0_DEV_MODE: "1",
  };
  const r = await runMain(["deploy", "--write-env", envFile], env, { cwd: dir });
  const all = r.stdout + r.stderr;
  assert.equal(r.code, 0, all);
  assert.ok(!all.includes(ANVIL_KEYS.owner.slice(2)), "the deployer key was printed");
  const address = /^ON_CHAIN_PROPOSER_ADDRESS=(0x[0-9a-fA-F]{40})$/m.exec(r.stdout)?.[1] as Address;
  assert.ok(address, r.stdout);
  const written = await Deno.readTextFile(envFile);
  assert.match(written, /^KEEP_ME=1$/m);
  assert.match(written, new RegExp(`^ON_CHAIN_PROPOSER_ADDRESS=${address}$`, "m"));
  assert.doesNotMatch(written, /0xold/);

  const proposer = new Proposer(await l1Client(l1.url), address);
  const genesis = await rpcCall<{ hash: Hex; stateRoot: Hex }>(l2.url, "eth_getBlockByNumber", [
    "0x0",
    false,
  ]);
  const b0 = await proposer.batch(0);
  assert.equal(b0.lastBlockHash, genesis.hash);
  assert.equal(b0.stateRoot, genesis.stateRoot);
  assert.equal(await proposer.chainId(), 1729);
  assert.equal((await proposer.committer()).toLowerCase(), COMMITTER.toLowerCase());
  const { hardFork } = await rpcCall<{ hardFork: string }>(l2.url, "anvil_nodeInfo");
  assert.equal(await proposer.rulesDigest(), rulesDigest(normalizeForkName(hardFork), ["anvil"]));
});

Deno.test("deploy: refuses a verifier that cannot take this host's seals, naming the fix, before deploying", async () => {
  await using l1 = await startAnvil();
  await using l2 = await startAnvil({ chainId: 1729 });
  const groth16 = await deployGroth16Verifier(await l1Client(l1.url, ANVIL_KEYS.stranger));
  const env = {
    ETH_RPC_URL: l1.url,
    L2_RPC_URL: l2.url,
    DEPLOYER_PRIVATE_KEY: ANVIL_KEYS.owner,
    COMMITTER_L1_ADDRESS: COMMITTER,
    PROVER_SERVER_VERIFIER_ADDRESS: VERIFIER,
    DEPLOYER_CONTRACT_VERIFIER: groth16,
    RISC0_DEV_MODE: "1",
  };
  const dir = await Deno.makeTempDir();
  const bad = await runMain(["deploy"], env, { cwd: dir });
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /rejects the mock seals this host makes \(selector 0xffffffff\)/);
  const nonce = await rpcCall<Hex>(l1.url, "eth_getTransactionCount", [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "latest",
  ]);
  assert.equal(nonce, "0x0", "the deployer sent nothing");

  const { DEPLOYER_CONTRACT_VERIFIER: _, ...local } = env;
  const same = await runMain(["deploy"], { ...local, PROVER_SERVER_VERIFIER_ADDRESS: COMMITTER }, {
    cwd: dir,
  });
  assert.notEqual(same.code, 0);
  assert.match(same.stdout + same.stderr, /committer and the verifier account are both/);
});

Deno.test("deploy: without dev mode (RISC0_DEV_MODE=0, risc0's default) the local mock verifier is refused before any transaction", async () => {
  await using l1 = await startAnvil();
  await using l2 = await startAnvil({ chainId: 1729 });
  const dir = await Deno.makeTempDir();
  const r = await runMain(["deploy"], {
    ETH_RPC_URL: l1.url,
    L2_RPC_URL: l2.url,
    DEPLOYER_PRIVATE_KEY: ANVIL_KEYS.owner,
    COMMITTER_L1_ADDRESS: COMMITTER,
    PROVER_SERVER_VERIFIER_ADDRESS: VERIFIER,
  }, { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /RISC0_DEV_MODE=0 makes Groth16 seals, which the local mock verifier refuses/,
  );
  const nonce = await rpcCall<Hex>(l1.url, "eth_getTransactionCount", [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "latest",
  ]);
  assert.equal(nonce, "0x0", "the deployer sent nothing");
});
