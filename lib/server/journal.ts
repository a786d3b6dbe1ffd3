/**
 * Compares a proof's journal (DESIGN §3 v2, decoded by lib/host) with the block the server knows.
 */
import { decodeJournal, encodeJournal } from "../host/journal.ts";
import type { Hex } from "../protocol/proof.ts";
import type { BlockFacts } from "./facts.ts";

/** The journal a correct proof of the block described by `f` (a batch of one) commits. */
export function journalOf(f: BlockFacts): Hex {
  return encodeJournal({
    chainId: BigInt(f.chainId),
    firstBlock: BigInt(f.number),
    lastBlock: BigInt(f.number),
    parentHash: f.parentHash,
    preStateRoot: f.preStateRoot,
    postStateRoot: f.postStateRoot,
    lastBlockHash: f.hash,
    rulesDigest: f.rulesDigest,
  });
}

/** Names the first field where the journal disagrees with the block, or null when it matches. */
export function journalMismatch(journal: Hex, facts: BlockFacts): string | null {
  let j;
  try {
    j = decodeJournal(journal);
  } catch (e) {
    return `journal is not a valid ABI journal: ${(e as Error).message}`;
  }
  const checks: [string, string, string][] = [
    ["chain id", j.chainId.toString(), String(facts.chainId)],
    ["first block", j.firstBlock.toString(), String(facts.number)],
    ["last block", j.lastBlock.toString(), String(facts.number)],
    ["last block hash", j.lastBlockHash.toLowerCase(), facts.hash],
    ["parent hash", j.parentHash.toLowerCase(), facts.parentHash],
    ["pre-state root", j.preStateRoot.toLowerCase(), facts.preStateRoot],
    ["post-state root", j.postStateRoot.toLowerCase(), facts.postStateRoot],
    ["rules digest", j.rulesDigest.toLowerCase(), facts.rulesDigest.toLowerCase()],
  ];
  for (const [name, got, want] of checks) {
    if (got !== want) return `journal ${name} ${got} does not match the L2 block's ${want}`;
  }
  return null;
}
