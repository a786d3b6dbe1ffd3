/** An anvil L1 with the settlement contracts deployed, for contract and settlement tests. */
import type { Address, Hex } from "viem";
import { type AnvilNode, startAnvil } from "../../lib/devnet/anvil.ts";
import { L1Client } from "../../lib/l1/client.ts";
import { deployLocalVerifier, deployProposer, type ProposerParams } from "../../lib/l1/deploy.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { memoryLogger } from "./quiet_log.ts";

/** anvil's well-known dev keys (its default mnemonic), never funded anywhere real. */
export const ANVIL_KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  committer: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  verifier: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  stranger: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const satisfies Record<string, Hex>;

/** A 32-byte value derived from a label (readable in failures). */
export function word(label: string): Hex {
  const hex = Array.from(new TextEncoder().encode(label)).map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
  return `0x${hex.padEnd(64, "0").slice(0, 64)}`;
}

/** A running L1 with one client per role, a router over the mock verifier and a proposer. */
export interface L1Fixture extends AsyncDisposable {
  readonly anvil: AnvilNode;
  readonly owner: L1Client;
  readonly committer: L1Client;
  readonly verifier: L1Client;
  readonly stranger: L1Client;
  readonly router: Address;
  readonly mockVerifier: Address;
  readonly params: ProposerParams;
  /** The proposer as each role sees it. */
  readonly proposer: Address;
  readonly asCommitter: Proposer;
}

/** Connects a client for `key` to `url` (fast polling, quiet log). */
export function l1Client(url: string, key?: Hex): Promise<L1Client> {
  return L1Client.connect({ url, privateKey: key, pollMs: 20, log: memoryLogger().log });
}

/** Starts anvil and deploys router, mock verifier and an OnChainProposer (overrides in `p`). */
export async function startL1(p: Partial<ProposerParams> = {}): Promise<L1Fixture> {
  const anvil = await startAnvil();
  try {
    const [owner, committer, verifier, stranger] = await Promise.all([
      l1Client(anvil.url, ANVIL_KEYS.owner),
      l1Client(anvil.url, ANVIL_KEYS.committer),
      l1Client(anvil.url, ANVIL_KEYS.verifier),
      l1Client(anvil.url, ANVIL_KEYS.stranger),
    ]);
    const { router, mockVerifier } = await deployLocalVerifier(owner);
    const params: ProposerParams = {
      owner: owner.address!,
      committer: committer.address!,
      verifierAccount: verifier.address!,
      verifier: router,
      imageId: word("image"),
      rulesDigest: word("rules"),
      chainId: 4242,
      genesisBlock: 0,
      genesisBlockHash: word("block 0"),
      genesisStateRoot: word("state 0"),
      ...p,
    };
    const proposer = await deployProposer(owner, params);
    return {
      anvil,
      owner,
      committer,
      verifier,
      stranger,
      router,
      mockVerifier,
      params,
      proposer,
      asCommitter: new Proposer(committer, proposer),
      [Symbol.asyncDispose]: () => anvil.stop(),
    };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}
