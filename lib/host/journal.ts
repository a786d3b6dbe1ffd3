/** The ABI journal (public outputs) of DESIGN §3: six 32-byte words, 192 bytes. */
import { decodeAbiParameters, encodeAbiParameters, type Hex, sha256 } from "viem";

/** The public outputs of one proved block. */
export interface Journal {
  readonly chainId: bigint;
  readonly blockNumber: bigint;
  readonly parentHash: Hex;
  readonly preStateRoot: Hex;
  readonly postStateRoot: Hex;
  readonly blockHash: Hex;
}

/** The journal bytes are not a version-1 journal. */
export class JournalDecodeError extends Error {
  override name = "JournalDecodeError";
}

const LAYOUT = [
  { type: "uint256", name: "chainId" },
  { type: "uint256", name: "blockNumber" },
  { type: "bytes32", name: "parentHash" },
  { type: "bytes32", name: "preStateRoot" },
  { type: "bytes32", name: "postStateRoot" },
  { type: "bytes32", name: "blockHash" },
] as const;

/** The journal's exact length in bytes. */
export const JOURNAL_BYTES = 192;

/** ABI-encodes a journal. */
export function encodeJournal(j: Journal): Hex {
  return encodeAbiParameters(LAYOUT, [
    j.chainId,
    j.blockNumber,
    j.parentHash,
    j.preStateRoot,
    j.postStateRoot,
    j.blockHash,
  ]);
}

/** Decodes a journal; throws JournalDecodeError unless it is exactly six words. */
export function decodeJournal(hex: Hex): Journal {
  if (!/^0x[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 + JOURNAL_BYTES * 2) {
    throw new JournalDecodeError(
      `journal must be ${JOURNAL_BYTES} bytes of hex, got ${
        Math.max(0, (hex.length - 2) / 2)
      } bytes`,
    );
  }
  const [chainId, blockNumber, parentHash, preStateRoot, postStateRoot, blockHash] =
    decodeAbiParameters(LAYOUT, hex);
  return { chainId, blockNumber, parentHash, preStateRoot, postStateRoot, blockHash };
}

/** sha256 of the journal bytes: what the risc0 receipt claim commits to. */
export function journalDigest(hex: Hex): Hex {
  return sha256(hex);
}
