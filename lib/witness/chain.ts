/** Blocks and headers from the node, as JSON and as checked canonical RLP. */
import { concatHex, fromRlp, type Hex, keccak256, toRlp } from "viem";
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
  opts: { sidecarsInBody?: boolean } = {},
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
  const raw = opts.sidecarsInBody ? await networkFormBlobTxs(rpc, block) : undefined;
  return { rlp: encodeBlock(block, raw), source: "encoded" };
}

// anvil keeps blob transactions in its blocks with their sidecars, and its transactions root
// commits to that network form: take those transactions as the node serves them raw.
async function networkFormBlobTxs(rpc: RpcClient, block: RpcBlock): Promise<Map<Hex, Hex>> {
  const blobTxs = block.transactions.filter((tx) => BigInt(tx.type ?? "0x0") === 3n);
  const raws = await rpc.batch<Hex>(
    blobTxs.map((tx) => ({ method: "eth_getRawTransactionByHash", params: [tx.hash] })),
  );
  const out = new Map<Hex, Hex>();
  raws.forEach((raw, i) => {
    const tx = blobTxs[i];
    const items = fromRlp(`0x${raw.slice(4)}`, "hex");
    // network form: 0x03 ‖ rlp([tx_payload_body, blobs, commitments, proofs]); else it is plain
    const body = Array.isArray(items) && Array.isArray(items[0]) ? items[0] : undefined;
    // deno-lint-ignore no-explicit-any
    const plain = body ? concatHex(["0x03", toRlp(body as any)]) : raw;
    if (!raw.startsWith("0x03") || keccak256(plain) !== tx.hash.toLowerCase()) {
      throw new Error(`eth_getRawTransactionByHash(${tx.hash}) is not that blob transaction`);
    }
    out.set(tx.hash.toLowerCase() as Hex, raw);
  });
  return out;
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
