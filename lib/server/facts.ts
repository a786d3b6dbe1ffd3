/** What the server knows about a batch from its own L2 node: the truth a journal is checked against. */
import type { Hex } from "../protocol/proof.ts";
import type { RpcHeader } from "../rpc/eth.ts";
import type { Batch } from "../batch/mod.ts";

export type { BatchFacts, NodeFacts } from "../protocol/facts.ts";
import type { NodeFacts } from "../protocol/facts.ts";

/** The JSON-RPC calls the server needs; `RpcClient` of lib/rpc satisfies it. */
export interface JsonRpc {
  request<T>(method: string, params: readonly unknown[]): Promise<T>;
}

/** Reads the facts of `batch` (its last header and its first block's parent) from the L2 node. */
export async function fetchBatchFacts(rpc: JsonRpc, batch: Batch): Promise<NodeFacts> {
  if (batch.firstBlock < 1) {
    throw new Error("block 0 (genesis) has no parent and cannot be proved");
  }
  const [chainIdHex, last, parent] = await Promise.all([
    rpc.request<Hex>("eth_chainId", []),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [toHex(batch.lastBlock), false]),
    rpc.request<RpcHeader | null>("eth_getBlockByNumber", [toHex(batch.firstBlock - 1), false]),
  ]);
  if (!last || !parent) {
    throw new Error(
      `the L2 node does not have blocks ${batch.firstBlock - 1}..${batch.lastBlock} yet`,
    );
  }
  return {
    chainId: Number(BigInt(chainIdHex)),
    firstBlock: batch.firstBlock,
    lastBlock: batch.lastBlock,
    parentHash: lower(parent.hash),
    preStateRoot: lower(parent.stateRoot),
    postStateRoot: lower(last.stateRoot),
    lastBlockHash: lower(last.hash),
  };
}

/** A quantity as JSON-RPC wants it. */
export function toHex(n: number | bigint): Hex {
  return `0x${n.toString(16)}`;
}

function lower(h: Hex): Hex {
  return h.toLowerCase() as Hex;
}
