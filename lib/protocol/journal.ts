/** The ABI journal (public outputs) of DESIGN §3, version 2: eight 32-byte words, 256 bytes. */
import { decodeAbiParameters, encodeAbiParameters, type Hex, sha256 } from "viem";

/** The public outputs of one proved batch (a single block is a batch of one). */
export interface Journal {
  readonly chainId: bigint;
  readonly firstBlock: bigint;
  readonly lastBlock: bigint;
  /** Hash of the first block's parent. */
  readonly parentHash: Hex;
  /** State root of the first block's parent. */
  readonly preStateRoot: Hex;
  /** State root after the last block. */
  readonly postStateRoot: Hex;
  /** keccak256 of the last block's RLP header. */
  readonly lastBlockHash: Hex;
  /** lib/input's rulesDigest(fork, quirks). */
  readonly rulesDigest: Hex;
}

/** The journal bytes are not a version-2 journal. */
export class JournalDecodeError extends Error {
  override name = "JournalDecodeError";
}

const LAYOUT = [
  { type: "uint256", name: "chainId" },
  { type: "uint256", name: "firstBlock" },
  { type: "uint256", name: "lastBlock" },
  { type: "bytes32", name: "parentHash" },
  { type: "bytes32", name: "preStateRoot" },
  { type: "bytes32", name: "postStateRoot" },
  { type: "bytes32", name: "lastBlockHash" },
  { type: "bytes32", name: "rulesDigest" },
] as const;

/** The journal's exact length in bytes. */
export const JOURNAL_BYTES = 256;

/** ABI-encodes a journal. */
export function encodeJournal(j: Journal): Hex {
  return encodeAbiParameters(LAYOUT, [
    j.chainId,
    j.firstBlock,
    j.lastBlock,
    j.parentHash,
    j.preStateRoot,
    j.postStateRoot,
    j.lastBlockHash,
    j.rulesDigest,
  ]);
}

/** Decodes a journal; throws JournalDecodeError unless it is exactly eight words. */
export function decodeJournal(hex: Hex): Journal {
  if (!/^0x[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 + JOURNAL_BYTES * 2) {
    throw new JournalDecodeError(
      `journal must be ${JOURNAL_BYTES} bytes of hex, got ${
        Math.max(0, (hex.length - 2) / 2)
      } bytes`,
    );
  }
  const [
    chainId,
    firstBlock,
    lastBlock,
    parentHash,
    preStateRoot,
    postStateRoot,
    lastBlockHash,
    rulesDigest,
  ] = decodeAbiParameters(LAYOUT, hex);
  return {
    chainId,
    firstBlock,
    lastBlock,
    parentHash,
    preStateRoot,
    postStateRoot,
    lastBlockHash,
    rulesDigest,
  };
}

/** sha256 of the journal bytes: what the risc0 receipt claim commits to. */
export function journalDigest(hex: Hex): Hex {
  return sha256(hex);
}
