/**
 * Compares a proof's journal (DESIGN §3: abi.encode(chainId, blockNumber, parentHash,
 * preStateRoot, postStateRoot, blockHash)) with the block the server knows.
 */
import { decodeAbiParameters } from "viem";
import type { Hex } from "../protocol/proof.ts";
import type { BlockFacts } from "./facts.ts";

/** The public outputs a guest commits for one block. */
export interface Journal {
  readonly chainId: bigint;
  readonly blockNumber: bigint;
  readonly parentHash: Hex;
  readonly preStateRoot: Hex;
  readonly postStateRoot: Hex;
  readonly blockHash: Hex;
}

const JOURNAL_ABI = [
  { type: "uint256" },
  { type: "uint256" },
  { type: "bytes32" },
  { type: "bytes32" },
  { type: "bytes32" },
  { type: "bytes32" },
] as const;

/** Decodes a 192-byte ABI journal; throws naming the problem when it is not one. */
export function decodeJournal(journal: Hex): Journal {
  if (journal.length !== 2 + 192 * 2) {
    throw new Error(`journal is ${(journal.length - 2) / 2} bytes, expected 192 (six ABI words)`);
  }
  const [chainId, blockNumber, parentHash, preStateRoot, postStateRoot, blockHash] =
    decodeAbiParameters(JOURNAL_ABI, journal);
  return { chainId, blockNumber, parentHash, preStateRoot, postStateRoot, blockHash };
}

/** Encodes a journal (tests, fakes and the benchmark build one from known facts). */
export function encodeJournal(f: BlockFacts): Hex {
  const word = (n: number | bigint) => n.toString(16).padStart(64, "0");
  const h = (x: Hex) => x.slice(2).padStart(64, "0");
  return `0x${word(f.chainId)}${word(f.number)}${h(f.parentHash)}${h(f.preStateRoot)}${
    h(f.postStateRoot)
  }${h(f.hash)}`;
}

/** Names the first field where the journal disagrees with the block, or null when it matches. */
export function journalMismatch(journal: Hex, facts: BlockFacts): string | null {
  let j: Journal;
  try {
    j = decodeJournal(journal);
  } catch (e) {
    return `journal is not a valid ABI journal: ${(e as Error).message}`;
  }
  const checks: [string, string, string][] = [
    ["chain id", j.chainId.toString(), String(facts.chainId)],
    ["block number", j.blockNumber.toString(), String(facts.number)],
    ["block hash", j.blockHash.toLowerCase(), facts.hash],
    ["parent hash", j.parentHash.toLowerCase(), facts.parentHash],
    ["pre-state root", j.preStateRoot.toLowerCase(), facts.preStateRoot],
    ["post-state root", j.postStateRoot.toLowerCase(), facts.postStateRoot],
  ];
  for (const [name, got, want] of checks) {
    if (got !== want) return `journal ${name} ${got} does not match the L2 block's ${want}`;
  }
  return null;
}
