/**
 * Which blocks need proving. A BlockSource reports a range; the server proves every block in it
 * that is not stored yet. Settlement (OnChainProposer: committed but unverified blocks) plugs in
 * here as another BlockSource.
 */
import { type JsonRpc } from "./facts.ts";
import type { Hex } from "../protocol/proof.ts";

/** An inclusive range of block numbers. */
export interface BlockRange {
  readonly first: number;
  readonly last: number;
}

/** Tells the server which blocks to prove. */
export interface BlockSource {
  /** For logs and /status. */
  readonly description: string;
  /** The blocks that need a proof now (inclusive), or null when there are none. */
  pending(): Promise<BlockRange | null>;
}

/** Every block of the L2 from `fromBlock` on, as the L2 produces them (no settlement). */
export class ChainHeadSource implements BlockSource {
  /** For logs and /status. */
  readonly description: string;
  constructor(private readonly rpc: JsonRpc, private readonly fromBlock: number) {
    this.description = `L2 blocks from ${fromBlock} on`;
  }

  /** From `fromBlock` to the L2's latest block. */
  async pending(): Promise<BlockRange | null> {
    const head = Number(BigInt(await this.rpc.request<Hex>("eth_blockNumber", [])));
    return head >= this.fromBlock ? { first: this.fromBlock, last: head } : null;
  }
}

/** A source over a fixed range (tests, benchmarks, re-proving a known span). */
export class FixedRangeSource implements BlockSource {
  /** For logs and /status. */
  readonly description: string;
  constructor(private readonly range: BlockRange) {
    this.description = `blocks ${range.first}..${range.last}`;
  }

  /** Always the same range. */
  pending(): Promise<BlockRange | null> {
    return Promise.resolve(this.range);
  }
}
