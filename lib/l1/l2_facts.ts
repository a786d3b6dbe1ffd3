/**
 * What a deployment reads from the L2: chain id, the genesis (start) block of the batches, and
 * the rules its blocks run under (fork, quirks), which the rules digest commits to.
 */
import { type Hex } from "viem";
import type { RpcHeader } from "../rpc/eth.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { detectFork } from "../witness/mod.ts";
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

/** Reads chain id, block `genesisBlock` ("latest": the head) and the rules from the L2 node. */
export async function readL2Facts(
  rpc: RpcClient,
  genesisBlock: number | "latest",
): Promise<L2Facts> {
  const tag = genesisBlock === "latest" ? "latest" : `0x${genesisBlock.toString(16)}`;
  const [chainIdHex, header, client] = await Promise.all([
    rpc.request<Hex>("eth_chainId", []),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [tag, false]),
    rpc.request<string>("web3_clientVersion", []).catch(() => "unknown"),
  ]);
  if (!header) {
    throw new Error(`the L2 node at ${rpc.displayUrl} has no block ${genesisBlock} yet`);
  }
  // The same rule as the witness builder's "auto" quirks: anvil's deviations, nothing else.
  const quirks = /^anvil\//i.test(client) ? ["anvil"] : [];
  const fork = (await detectFork(rpc, header)).fork;
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
