/** The ancestor headers a witness carries. */
import type { Hex } from "viem";
import type { RpcClient } from "../rpc/client.ts";
import type { RpcBlock } from "../rpc/eth.ts";
import { findAncestorUse, headerRange } from "./blockhash.ts";
import { getHeadersJson } from "./chain.ts";
import { WitnessBuildError } from "./errors.ts";
import type { Preflight } from "./preflight.ts";
import { encodeHeader } from "./rlp.ts";
import type { WitnessStats } from "./stats.ts";

/** The parent and every ancestor BLOCKHASH reaches (RLP, oldest first), checked to chain up. */
export async function ancestorHeaders(
  rpc: RpcClient,
  block: RpcBlock,
  parent: RpcBlock,
  pf: Preflight,
  stats: WitnessStats,
): Promise<Hex[]> {
  const n = BigInt(block.number);
  const parentNumber = n - 1n;
  const use = await findAncestorUse(rpc, n, block.transactions, pf.perTx, pf.codes);
  stats.ancestors = { mode: use.mode, tracedTxs: use.tracedTxs };
  const numbers = headerRange(n, use.numbers).reverse(); // oldest first
  const json = await getHeadersJson(rpc, numbers.slice(0, -1));
  json.push(parent);
  for (let i = 1; i < json.length; i++) {
    if (json[i].parentHash.toLowerCase() !== json[i - 1].hash.toLowerCase()) {
      throw new WitnessBuildError(
        `headers ${numbers[i - 1]} and ${numbers[i]} do not chain (reorg while building?)`,
      );
    }
  }
  if (parent.hash.toLowerCase() !== block.parentHash.toLowerCase()) {
    throw new WitnessBuildError(
      `block ${n}'s parent hash is not block ${parentNumber}'s hash (reorg?)`,
    );
  }
  return json.map(encodeHeader);
}
