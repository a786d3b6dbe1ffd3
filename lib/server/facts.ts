/** What the server knows about a block from its own L2 node: the truth a journal is checked against. */
import type { Hex } from "../protocol/proof.ts";
import type { RpcHeader } from "../rpc/eth.ts";
import type { HostBlock } from "../host/result.ts";

/**
 * The public facts of one L2 block, as the server's L2 node reports them: the same fields the
 * host reports for the block it checked, so the two compare field by field.
 */
export type BlockFacts =
  & Pick<
    HostBlock,
    "chainId" | "number" | "hash" | "parentHash" | "preStateRoot" | "postStateRoot"
  >
  & {
    /** lib/input's rulesDigest of the fork and quirks the server's input asks for. */
    readonly rulesDigest: Hex;
  };

/** What the L2 node alone tells about a block (the rules come from the input). */
export type NodeFacts = Omit<BlockFacts, "rulesDigest">;

/** The JSON-RPC calls the server needs; `RpcClient` of lib/rpc satisfies it. */
export interface JsonRpc {
  request<T>(method: string, params: readonly unknown[]): Promise<T>;
}

/** Reads the facts of `block` (its header and its parent's state root) from the L2 node. */
export async function fetchBlockFacts(rpc: JsonRpc, block: number): Promise<NodeFacts> {
  if (block < 1) throw new Error("block 0 (genesis) has no parent and cannot be proved");
  const [chainIdHex, header, parent] = await Promise.all([
    rpc.request<Hex>("eth_chainId", []),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [toHex(block), false]),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [toHex(block - 1), false]),
  ]);
  if (!header || !parent) {
    throw new Error(`the L2 node does not have block ${block} (or its parent) yet`);
  }
  return {
    chainId: Number(BigInt(chainIdHex)),
    number: block,
    hash: lower(header.hash),
    parentHash: lower(header.parentHash),
    preStateRoot: lower(parent.stateRoot),
    postStateRoot: lower(header.stateRoot),
  };
}

/** A quantity as JSON-RPC wants it. */
export function toHex(n: number | bigint): Hex {
  return `0x${n.toString(16)}`;
}

function lower(h: Hex): Hex {
  return h.toLowerCase() as Hex;
}
