/**
 * Compares a proof's journal (DESIGN §3 v2, decoded by lib/host) with the batch the server knows.
 */
import { decodeJournal, encodeJournal } from "../host/journal.ts";
import type { Hex } from "../protocol/proof.ts";
import type { BatchFacts } from "./facts.ts";

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
