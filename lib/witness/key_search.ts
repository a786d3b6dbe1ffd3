/**
 * Finds a trie key (an address or a storage slot) whose hashed path starts with given nibbles, so
 * that eth_getProof of that key walks through a node we need but cannot name otherwise (JSON-RPC
 * has no "node by path"). Expected work is 16^len(prefix) hashes, so it is bounded.
 */
import { bytesToHex, type Hex, keccak256 } from "viem";
import type { Nibbles } from "./trie.ts";

/** Default bound on hashes tried per search: about 16^4.5, a few seconds of JS hashing. */
export const DEFAULT_SEARCH_LIMIT = 300_000;

/** A key of `size` bytes (20: address, 32: slot) with keccak path starting with `prefix`, or undefined. */
export function searchKey(
  prefix: Nibbles,
  size: 20 | 32,
  limit = DEFAULT_SEARCH_LIMIT,
): Hex | undefined {
  const key = new Uint8Array(size);
  // Start away from small numbers so found slots do not look like real low slots.
  key[0] = 0x5e;
  key[1] = 0xa5;
  const want = prefix.split("").map((c) => parseInt(c, 16));
  const view = new DataView(key.buffer);
  for (let i = 0; i < limit; i++) {
    view.setUint32(size - 4, i);
    const h = keccak256(key, "bytes");
    let ok = true;
    for (let j = 0; j < want.length && ok; j++) {
      const b = h[j >> 1];
      ok = (j & 1 ? b & 0x0f : b >> 4) === want[j];
    }
    if (ok) return bytesToHex(key);
  }
  return undefined;
}
