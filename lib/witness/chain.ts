/** Blocks and headers from the node, as JSON and as checked canonical RLP. */
import type { Hex } from "viem";
import type { RpcClient } from "../rpc/client.ts";
import { isMethodNotFound } from "../rpc/errors.ts";
import { blockTag, type RpcBlock, type RpcHeader } from "../rpc/eth.ts";
import { blockRlpHash, encodeBlock } from "./rlp.ts";

/** The node has no such block. */
export class BlockNotFoundError extends Error {
  override name = "BlockNotFoundError";
}

/** Per-endpoint memory of which optional debug methods exist, so each is probed once. */
const capabilities = new Map<string, Map<string, boolean>>();

/** Whether `method` is known to be missing on this node. */
export function knownMissing(rpc: RpcClient, method: string): boolean {
  return capabilities.get(rpc.url)?.get(method) === false;
}

/** Records whether `method` exists on this node. */
export function remember(rpc: RpcClient, method: string, exists: boolean): void {
  let m = capabilities.get(rpc.url);
  if (!m) capabilities.set(rpc.url, m = new Map());
  m.set(method, exists);
}

/** Block `n` with full transactions; throws BlockNotFoundError naming the node's head. */
export async function getBlock(rpc: RpcClient, n: bigint): Promise<RpcBlock> {
  const block = await rpc.request<RpcBlock | null>("eth_getBlockByNumber", [blockTag(n), true]);
  if (!block) {
    const head = BigInt(await rpc.request<Hex>("eth_blockNumber", []));
    throw new BlockNotFoundError(`block ${n} is not on the node (its latest block is ${head})`);
  }
  return block;
}

/** The RLP of block `block`: the node's own (debug_getRawBlock) when it has it, else encoded here. */
export async function getBlockRlp(
  rpc: RpcClient,
  block: RpcBlock,
): Promise<{ rlp: Hex; source: "debug_getRawBlock" | "encoded" }> {
  if (!knownMissing(rpc, "debug_getRawBlock")) {
    try {
      const raw = await rpc.request<Hex>("debug_getRawBlock", [block.number]);
      remember(rpc, "debug_getRawBlock", true);
      if (blockRlpHash(raw) === block.hash.toLowerCase()) {
        return { rlp: raw, source: "debug_getRawBlock" };
      }
    } catch (e) {
      if (!isMethodNotFound(e)) throw e;
      remember(rpc, "debug_getRawBlock", false);
    }
  }
  return { rlp: encodeBlock(block), source: "encoded" };
}

/** Headers `numbers` as JSON (for hash-chain checks). */
export async function getHeadersJson(
  rpc: RpcClient,
  numbers: readonly bigint[],
): Promise<RpcHeader[]> {
  const json = await rpc.batch<RpcHeader | null>(
    numbers.map((k) => ({ method: "eth_getBlockByNumber", params: [blockTag(k), false] })),
  );
  return json.map((h, i) => {
    if (!h) throw new BlockNotFoundError(`header ${numbers[i]} is not on the node`);
    return h;
  });
}
