/**
 * What a deployment reads from the L2: chain id, the genesis (start) block of the batches, and
 * the rules its blocks run under (fork, quirks), which the rules digest commits to.
 */
import { type Hex } from "viem";
import type { RpcHeader } from "../rpc/eth.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { detectFork } from "../witness/mod.ts";
import { clientVersion, decideQuirks, type QuirksChoice } from "../witness/quirks.ts";
import { rulesDigest } from "../input/rules.ts";

/** The L2 block batch 0 ends at. */
export interface L2Genesis {
  readonly block: number;
  readonly hash: Hex;
  readonly stateRoot: Hex;
}

/** The L2 facts a deployment needs. */
export interface L2Facts {
  readonly chainId: number;
  readonly genesis: L2Genesis;
  readonly fork: string;
  readonly quirks: readonly string[];
  readonly rulesDigest: Hex;
}

/** The rules an L2's blocks run under, as the prover-server logs them at start. */
export interface L2Rules {
  readonly fork: string;
  readonly quirks: readonly string[];
  /** Where the quirks came from (lib/witness/quirks.ts). */
  readonly quirksSource: "config" | "node identity";
  readonly client: string;
  readonly rulesDigest: Hex;
}

/** The rules of the block with `header` (default: the head): fork, quirks and their digest. */
export async function readL2Rules(
  rpc: RpcClient,
  quirksChoice: QuirksChoice = "auto",
  header?: RpcHeader,
): Promise<L2Rules> {
  const [client, head] = await Promise.all([
    clientVersion(rpc),
    header ?? rpc.request<RpcHeader>("eth_getBlockByNumber", ["latest", false]),
  ]);
  const { quirks, source } = decideQuirks(quirksChoice, client);
  const fork = (await detectFork(rpc, head)).fork;
  return { fork, quirks, quirksSource: source, client, rulesDigest: rulesDigest(fork, quirks) };
}

/** Reads chain id, block `genesisBlock` ("latest": the head) and the rules from the L2 node. */
export async function readL2Facts(
  rpc: RpcClient,
  genesisBlock: number | "latest",
  quirksChoice: QuirksChoice = "auto",
): Promise<L2Facts> {
  const tag = genesisBlock === "latest" ? "latest" : `0x${genesisBlock.toString(16)}`;
  const [chainIdHex, header] = await Promise.all([
    rpc.request<Hex>("eth_chainId", []),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [tag, false]),
  ]);
  if (!header) {
    throw new Error(`the L2 node at ${rpc.displayUrl} has no block ${genesisBlock} yet`);
  }
  const { fork, quirks } = await readL2Rules(rpc, quirksChoice, header);
  return {
    chainId: Number(BigInt(chainIdHex)),
    genesis: {
      block: Number(BigInt(header.number)),
      hash: header.hash.toLowerCase() as Hex,
      stateRoot: header.stateRoot.toLowerCase() as Hex,
    },
    fork,
    quirks,
    rulesDigest: rulesDigest(fork, quirks),
  };
}
