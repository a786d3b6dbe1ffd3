/** eth_getProof for many accounts and slots: batched, slots chunked, results merged per account. */
import type { Address, Hex } from "viem";
import type { RpcCall, RpcClient } from "../rpc/client.ts";
import { blockTag, type RpcProof } from "../rpc/eth.ts";

/** Slots per eth_getProof call (some nodes cap the number of keys of one call). */
export const SLOTS_PER_PROOF_CALL = 256;

/** Fetches proofs of `requests` (account → slots) at block `n`; one merged proof per account. */
export async function fetchProofs(
  rpc: RpcClient,
  requests: ReadonlyMap<Address, ReadonlySet<Hex> | readonly Hex[]>,
  n: bigint,
): Promise<Map<Address, RpcProof>> {
  const tag = blockTag(n);
  const calls: RpcCall[] = [];
  const owners: Address[] = [];
  for (const [addr, slotSet] of requests) {
    const slots = [...slotSet];
    for (let i = 0; i === 0 || i < slots.length; i += SLOTS_PER_PROOF_CALL) {
      calls.push({
        method: "eth_getProof",
        params: [addr, slots.slice(i, i + SLOTS_PER_PROOF_CALL), tag],
      });
      owners.push(addr);
    }
  }
  const answers = (await rpc.batch<RpcProof>(calls)).map(normalizeAbsent);
  const merged = new Map<Address, RpcProof>();
  answers.forEach((p, i) => {
    const prev = merged.get(owners[i]);
    merged.set(
      owners[i],
      prev ? { ...prev, storageProof: [...prev.storageProof, ...p.storageProof] } : p,
    );
  });
  return merged;
}

/** Root of the empty trie. */
const EMPTY_TRIE_ROOT: Hex = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

/**
 * geth answers an absent account's proof with zero codeHash and storageHash (anvil and reth with
 * the empty-code hash and empty-trie root): decoded once here to the empty values the rest uses.
 */
function normalizeAbsent(p: RpcProof): RpcProof {
  const zero = (h: string) => /^0x0*$/.test(h);
  if (!zero(p.codeHash) && !zero(p.storageHash)) return p;
  return {
    ...p,
    codeHash: zero(p.codeHash) ? EMPTY_CODE_HASH : p.codeHash,
    storageHash: zero(p.storageHash) ? EMPTY_TRIE_ROOT : p.storageHash,
  };
}

/** keccak256 of empty code. */
export const EMPTY_CODE_HASH: Hex =
  "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
