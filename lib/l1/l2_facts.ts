/**
 * What a deployment reads from the L2: chain id, the genesis (start) block of the batches, and
 * the rules its blocks run under (fork, quirks), which the rules digest commits to.
 */
import { type Hex } from "viem";
import { fileURLToPath } from "node:url";
import type { RpcHeader } from "../rpc/eth.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { detectFork } from "../witness/mod.ts";
import { rulesDigest } from "./rules.ts";

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

const IMAGE_ID_FILE = fileURLToPath(new URL("../../zkvm/guest/out/image-id.txt", import.meta.url));
/** The zero image id: what the exec backend claims when no guest is built. */
export const ZERO_IMAGE_ID: Hex = `0x${"00".repeat(32)}`;

/** The image id local provers put in their claims: the built guest's, else the zero id. */
export async function localImageId(path = IMAGE_ID_FILE): Promise<Hex> {
  try {
    const id = (await Deno.readTextFile(path)).trim().toLowerCase();
    const hex = id.startsWith("0x") ? id : `0x${id}`;
    if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} holds '${id}', not a 32-byte id`);
    return hex as Hex;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return ZERO_IMAGE_ID;
    throw e;
  }
}
