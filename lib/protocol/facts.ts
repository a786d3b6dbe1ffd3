/**
 * The facts of a batch that a proof is checked against (journal v2's fields): here, below the
 * server and the store, which both read them.
 */
import type { Hex } from "./proof.ts";

/**
 * The public facts of one batch of L2 blocks, as the server's L2 node reports them and the
 * server's own input says (the rules): the fields of journal v2, field for field.
 */
export interface BatchFacts {
  readonly chainId: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  /** Hash of the first block's parent. */
  readonly parentHash: Hex;
  /** State root of the first block's parent. */
  readonly preStateRoot: Hex;
  /** State root of the last block. */
  readonly postStateRoot: Hex;
  readonly lastBlockHash: Hex;
  /** lib/input's rulesDigest of the fork and quirks the server's input asks for. */
  readonly rulesDigest: Hex;
}

/** What the L2 node alone tells about a batch (the rules come from the input). */
export type NodeFacts = Omit<BatchFacts, "rulesDigest">;
