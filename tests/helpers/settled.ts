/**
 * Two real anvils for settlement tests: an L1 with the contracts deployLocal deploys (mock
 * verifier, the L2's rules and image id) and an L2 whose blocks an in-process committer has
 * committed in batches of 2.
 */
import type { Address } from "viem";
import { type AnvilNode, startAnvil } from "../../lib/devnet/anvil.ts";
import { startCommitter } from "../../lib/committer/committer.ts";
import { deployLocal, type Deployment } from "../../lib/l1/deployment.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { waitUntil } from "./wait.ts";
import { ANVIL_KEYS, l1Client } from "./l1.ts";
import { mineTransfers } from "./l2.ts";
import { memoryLogger } from "./quiet_log.ts";

/** The chains of {@link committedChains}. */
export interface CommittedChains extends AsyncDisposable {
  readonly l1: AnvilNode;
  readonly l2: AnvilNode;
  readonly l2rpc: RpcClient;
  /** A temporary directory, removed with the chains. */
  readonly dir: string;
  readonly d: Deployment;
  /** The proposer as the verifier account reads it. */
  readonly view: Proposer;
  readonly committerAccount: Address;
  readonly verifierAccount: Address;
  /** What `prover-server --on-chain-proposer` takes from the environment to settle here. */
  readonly serverEnv: Record<string, string>;
}

/** Starts both anvils, deploys, mines `blocks` L2 blocks after block 1 and commits them by 2. */
export async function committedChains(blocks: number): Promise<CommittedChains> {
  const l1 = await startAnvil();
  const l2 = await startAnvil({ chainId: 1729 });
  const dir = await Deno.makeTempDir({ prefix: "settled-" });
  try {
    const { log } = memoryLogger();
    const [committerL1, verifierL1] = await Promise.all([
      l1Client(l1.url, ANVIL_KEYS.committer),
      l1Client(l1.url, ANVIL_KEYS.verifier),
    ]);
    // anvil's block 0 does not commit to its state, so batch 1 starts after block 1.
    await mineTransfers(l2.url, 1);
    const d = await deployLocal({
      genesisBlock: "latest",
      l1Url: l1.url,
      l2Url: l2.url,
      deployerKey: ANVIL_KEYS.owner,
      committer: committerL1.address!,
      verifierAccount: verifierL1.address!,
      log,
    });
    const view = new Proposer(verifierL1, d.onChainProposer);
    await mineTransfers(l2.url, blocks);
    const l2rpc = new RpcClient(l2.url);
    const committer = startCommitter({
      l1: committerL1,
      proposer: d.onChainProposer,
      l2: l2rpc,
      batchSize: 2,
      maxWaitMs: 3_600_000,
      pollMs: 50,
      log,
    });
    try {
      let committed = 0;
      await waitUntil(
        async () => (committed = await view.lastCommittedBatch()) >= blocks / 2,
        180_000,
        `${blocks / 2} committed batches (have ${committed})`,
      );
    } finally {
      await committer.stop();
    }
    return {
      l1,
      l2,
      l2rpc,
      dir,
      d,
      view,
      committerAccount: committerL1.address!,
      verifierAccount: verifierL1.address!,
      serverEnv: {
        ETH_RPC_URL: l1.url,
        ON_CHAIN_PROPOSER_ADDRESS: d.onChainProposer,
        PROVER_SERVER_VERIFIER_PRIVATE_KEY: ANVIL_KEYS.verifier,
        COMMITTER_L1_ADDRESS: committerL1.address!,
      },
      async [Symbol.asyncDispose]() {
        await l1.stop();
        await l2.stop();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      },
    };
  } catch (e) {
    await l1.stop();
    await l2.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}
