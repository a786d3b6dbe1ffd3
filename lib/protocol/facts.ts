/**
 * The facts of a batch that a proof is checked against (journal v2's fields): here, below the
 * server and the store, which both read them.
 */
import type { Hex } from "./proof.ts";
import { decodeJournal, encodeJournal } from "./journal.ts";

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

/** The journal a correct proof of the batch described by `f` commits. */
export function journalOf(f: BatchFacts): Hex {
  return encodeJournal({
    chainId: BigInt(f.chainId),
    firstBlock: BigInt(f.firstBlock),
    lastBlock: BigInt(f.lastBlock),
    parentHash: f.parentHash,
    preStateRoot: f.preStateRoot,
    postStateRoot: f.postStateRoot,
    lastBlockHash: f.lastBlockHash,
    rulesDigest: f.rulesDigest,
  });
}

/** Names the first field where the journal disagrees with the batch, or null when it matches. */
export function journalMismatch(journal: Hex, facts: BatchFacts): string | null {
  let j;
  try {
    j = decodeJournal(journal);
  } catch (e) {
    return `journal is not a valid ABI journal: ${(e as Error).message}`;
  }
  const checks: [string, string, string][] = [
    ["chain id", j.chainId.toString(), String(facts.chainId)],
    ["first block", j.firstBlock.toString(), String(facts.firstBlock)],
    ["last block", j.lastBlock.toString(), String(facts.lastBlock)],
    ["last block hash", j.lastBlockHash.toLowerCase(), facts.lastBlockHash.toLowerCase()],
    ["parent hash", j.parentHash.toLowerCase(), facts.parentHash.toLowerCase()],
    ["pre-state root", j.preStateRoot.toLowerCase(), facts.preStateRoot.toLowerCase()],
    ["post-state root", j.postStateRoot.toLowerCase(), facts.postStateRoot.toLowerCase()],
    ["rules digest", j.rulesDigest.toLowerCase(), facts.rulesDigest.toLowerCase()],
  ];
  for (const [name, got, want] of checks) {
    if (got !== want) return `journal ${name} ${got} does not match the L2 batch's ${want}`;
  }
  return null;
}
