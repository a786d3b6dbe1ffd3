/**
 * The `deploy` use case: checks the verifier against the seals this host makes, reads the L2's
 * genesis and rules, deploys OnChainProposer (and on a local chain the mock verifier behind a
 * router), and renders the `.env` lines the other subcommands read.
 */
import type { Address, Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { writeFileAtomic } from "../store/atomic.ts";
import { L1Client } from "./client.ts";
import { deployLocalVerifier, deployProposer } from "./deploy.ts";
import { type L2Facts, readL2Facts } from "./l2_facts.ts";
import type { QuirksChoice } from "../witness/quirks.ts";
import { resolveImageId } from "../host/image_id.ts";
import { guestImageId } from "../host/info.ts";
import { checkVerifierAccepts, type SealKind, SEPOLIA_ROUTER } from "./verifier_check.ts";

/** Chains on which `deploy` may put a mock verifier (anvil, hardhat, geth --dev). */
export const LOCAL_CHAIN_IDS: ReadonlySet<number> = new Set([31337, 1337]);

/** Options of {@link deploySettlement}. */
export interface DeployOptions {
  /** The deployer (and owner) on L1. */
  readonly l1: L1Client;
  readonly l2: RpcClient;
  readonly committer: Address;
  readonly verifierAccount: Address;
  /** An existing risc0 router or verifier; unset: deploy the mock verifier and a router (local chains). */
  readonly verifier?: Address;
  /** Which seals this host makes (mock: RISC0_DEV_MODE=1 or the exec backend). */
  readonly sealKind: SealKind;
  /**
   * Default: the guest's of the host at `hostBin` (lib/host guestImageId), else this checkout's
   * built guest's, what exec results claim (else zero).
   */
  readonly imageId?: Hex;
  /** The zkvm-host whose risc0 guest the provers run: its guest names the image id. */
  readonly hostBin?: string;
  /** The L2 block batch 0 ends at; default 0 (the L2's genesis). */
  readonly genesisBlock?: number | "latest";
  /** The L2's quirks (lib/witness/quirks.ts; default "auto": by node identity). */
  readonly quirks?: QuirksChoice;
  readonly log: Logger;
}

/** What a deployment made. */
export interface Deployment {
  readonly onChainProposer: Address;
  /** The IRiscZeroVerifier OnChainProposer calls (a router). */
  readonly verifier: Address;
  /** Set when this deployment made the local mock verifier. */
  readonly mockVerifier?: Address;
  readonly imageId: Hex;
  readonly l1ChainId: number;
  readonly l2: L2Facts;
}

/** Deploys the settlement contracts for the L2 behind `opts.l2` (see the module comment). */
export async function deploySettlement(opts: DeployOptions): Promise<Deployment> {
  const { l1, log } = opts;
  if (opts.committer.toLowerCase() === opts.verifierAccount.toLowerCase()) {
    throw new Error(
      `the committer and the verifier account are both ${opts.committer}; ` +
        "set COMMITTER_L1_ADDRESS and PROVER_SERVER_VERIFIER_ADDRESS to two different accounts",
    );
  }
  if (opts.verifier !== undefined) {
    await checkVerifierAccepts(l1, opts.verifier, opts.sealKind);
  } else if (!LOCAL_CHAIN_IDS.has(l1.chainId)) {
    throw new Error(
      `L1 chain ${l1.chainId} is not a local chain, so deploy does not put a mock verifier on it: ` +
        "set DEPLOYER_CONTRACT_VERIFIER to risc0's router" +
        (l1.chainId === 11155111 ? ` (Sepolia: ${SEPOLIA_ROUTER})` : ""),
    );
  } else if (opts.sealKind !== "mock") {
    throw new Error(
      "RISC0_DEV_MODE=0 makes Groth16 seals, which the local mock verifier refuses: " +
        "set DEPLOYER_CONTRACT_VERIFIER to a router with risc0's Groth16 verifier",
    );
  }
  const l2 = await readL2Facts(opts.l2, opts.genesisBlock ?? 0, opts.quirks);
  if (l2.quirks.length) {
    log.warn(
      `the L2 is a dev node with quirks (${l2.quirks.join(", ")}): the contract accepts only ` +
        "proofs made under those rules",
    );
  }
  // The id the local provers claim for these rules (a dev guest for inputs with quirks).
  const dev = l2.quirks.length > 0;
  const imageId = opts.imageId ??
    (opts.hostBin ? await guestImageId(opts.hostBin, dev) : resolveImageId({ dev }));
  let verifier = opts.verifier;
  let mockVerifier: Address | undefined;
  if (verifier === undefined) {
    const local = await deployLocalVerifier(l1);
    verifier = local.router;
    mockVerifier = local.mockVerifier;
    log.info(`deployed RiscZeroMockVerifier(0xffffffff) behind a router`, { ...local });
  }
  const onChainProposer = await deployProposer(l1, {
    owner: l1.address!,
    committer: opts.committer,
    verifierAccount: opts.verifierAccount,
    verifier,
    imageId,
    rulesDigest: l2.rulesDigest,
    chainId: l2.chainId,
    genesisBlock: l2.genesis.block,
    genesisBlockHash: l2.genesis.hash,
    genesisStateRoot: l2.genesis.stateRoot,
  });
  log.info(`deployed OnChainProposer at ${onChainProposer}`, {
    l2ChainId: l2.chainId,
    genesisBlock: l2.genesis.block,
    fork: l2.fork,
    quirks: l2.quirks,
    imageId,
  });
  return { onChainProposer, verifier, mockVerifier, imageId, l1ChainId: l1.chainId, l2 };
}

/** The `.env` lines of a deployment (the other subcommands read these names). */
export function deploymentEnvLines(d: Deployment): string[] {
  return [
    `# l2-prover deploy: L1 chain ${d.l1ChainId}, L2 chain ${d.l2.chainId} from block ${d.l2.genesis.block}`,
    `# image id ${d.imageId}; rules ${d.l2.fork} [${d.l2.quirks.join(", ")}] = ${d.l2.rulesDigest}`,
    `ON_CHAIN_PROPOSER_ADDRESS=${d.onChainProposer}`,
    `DEPLOYER_CONTRACT_VERIFIER=${d.verifier}`,
  ];
}

/** Sets `lines`' variables in the dotenv file at `path` (others kept), atomically. */
export async function writeEnvLines(path: string, lines: readonly string[]): Promise<void> {
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const keys = new Set(lines.map((l) => /^([A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean));
  const kept = text.split("\n").filter((l) => {
    const k = /^\s*([A-Z0-9_]+)\s*=/.exec(l)?.[1];
    return !(k && keys.has(k)) && !/^# l2-prover deploy: |^# image id 0x/.test(l);
  });
  while (kept.length && kept[kept.length - 1] === "") kept.pop();
  const out = [...kept, ...(kept.length ? [""] : []), ...lines, ""].join("\n");
  await writeFileAtomic(path, new TextEncoder().encode(out));
}

/** Options of {@link deployLocal}. */
export interface DeployLocalOptions {
  readonly l1Url: string;
  readonly l2Url: string;
  /** Deployer and owner key (anvil's first dev key locally). */
  readonly deployerKey: Hex;
  readonly committer: Address;
  readonly verifierAccount: Address;
  readonly imageId?: Hex;
  /** The zkvm-host the local provers run: its guest names the image id. */
  readonly hostBin?: string;
  /** The L2 block batch 0 ends at (default 0; anvil's block 0 cannot be proved from, see witness). */
  readonly genesisBlock?: number | "latest";
  readonly log: Logger;
}

/** For `up` and tests: mock verifier, router and OnChainProposer on a local L1 for the L2 at `l2Url`. */
export async function deployLocal(opts: DeployLocalOptions): Promise<Deployment> {
  const l1 = await L1Client.connect({
    url: opts.l1Url,
    privateKey: opts.deployerKey,
    pollMs: 100,
    log: opts.log,
  });
  return await deploySettlement({
    l1,
    l2: new RpcClient(opts.l2Url),
    committer: opts.committer,
    verifierAccount: opts.verifierAccount,
    sealKind: "mock",
    imageId: opts.imageId,
    hostBin: opts.hostBin,
    genesisBlock: opts.genesisBlock,
    log: opts.log,
  });
}
