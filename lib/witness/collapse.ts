/**
 * Branch collapses: the untouched trie nodes a block's deletions make the executor read, found in
 * post-state proofs or through a searched key (see docs/witness.md).
 */
import { type Address, getAddress, type Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import type { RpcProof } from "../rpc/eth.ts";
import { searchKey } from "./key_search.ts";
import { slotKey, touch } from "./preflight.ts";
import { EMPTY_CODE_HASH } from "./proofs.ts";
import type { WitnessStats } from "./stats.ts";
import {
  collapseNeeds,
  keyPath,
  lookup,
  type NeededNode,
  type NodeStore,
  shortenedCandidates,
} from "./trie.ts";

/** Adds to `store` every untouched node that deleting keys in this block makes the executor read. */
export async function addCollapseNodes(
  store: NodeStore,
  parentRoot: Hex,
  parentProofs: Map<Address, RpcProof>,
  post: Map<Address, RpcProof>,
  stats: WitnessStats,
  searchLimit: number | undefined,
  log: Logger | undefined,
  proveAtParent: (req: Map<Address, Set<Hex>>) => Promise<Map<Address, RpcProof>>,
): Promise<void> {
  const value = (p: RpcProof | undefined, slot: Hex) =>
    BigInt(p?.storageProof.find((s) => slotKey(s.key) === slot)?.value ?? "0x0");

  // By the spec a slot whose value becomes zero, and an account that ends empty, leave the trie
  // (a node may keep them, as anvil does; a witness for the spec is a witness for such a node).
  const deletedAccounts: Address[] = [];
  const deletedSlots = new Map<Address, Hex[]>();
  for (const [addr, before] of parentProofs) {
    const after = post.get(addr);
    if (!after) continue;
    const existed = lookup(store, parentRoot, keyPath(addr)).kind === "found";
    if (existed && isEmptyAccount(after)) {
      deletedAccounts.push(addr);
      continue;
    }
    const gone = before.storageProof
      .filter((s) => BigInt(s.value) !== 0n && value(after, slotKey(s.key)) === 0n)
      .map((s) => slotKey(s.key));
    if (gone.length) deletedSlots.set(addr, gone);
  }
  stats.deletions = {
    accounts: deletedAccounts.length,
    slots: [...deletedSlots.values()].reduce((k, s) => k + s.length, 0),
  };
  const postNodes: Hex[] = [];
  for (const a of [...deletedAccounts, ...deletedSlots.keys()]) {
    const p = post.get(a)!;
    postNodes.push(...p.accountProof);
    for (const s of p.storageProof) postNodes.push(...s.proof);
  }

  type Need = NeededNode & { account?: Address };
  const computeNeeds = (): Need[] => {
    const needs: Need[] = collapseNeeds(store, parentRoot, deletedAccounts.map(keyPath));
    for (const [addr, slots] of deletedSlots) {
      const root = parentProofs.get(addr)!.storageHash;
      for (const need of collapseNeeds(store, root, slots.map(keyPath))) {
        needs.push({ ...need, account: addr });
      }
    }
    return needs;
  };
  const needs = computeNeeds();
  stats.collapse.needed = needs.length;
  if (needs.length === 0) return;

  const candidates = shortenedCandidates(postNodes);
  const searched: { need: Need; key: Hex }[] = [];
  for (const need of needs) {
    const rlp = candidates.get(need.hash);
    if (rlp) {
      store.add(rlp);
      stats.collapse.fromPostState++;
      continue;
    }
    const key = searchKey(need.prefix, need.account ? 32 : 20, searchLimit);
    if (key) searched.push({ need, key });
  }
  if (searched.length) {
    const req = new Map<Address, Set<Hex>>();
    for (const { need, key } of searched) {
      const owner = need.account ?? (getAddress(key) as Address);
      touch(req, owner, need.account ? [key] : []);
    }
    for (const p of (await proveAtParent(req)).values()) {
      store.addAll(p.accountProof);
      for (const s of p.storageProof) store.addAll(s.proof);
    }
    stats.collapse.fromSearch = searched.filter(({ need }) => store.has(need.hash)).length;
  }
  const left = computeNeeds();
  stats.collapse.unresolved = left.length;
  for (const need of left) {
    log?.warn(
      `witness may lack trie node ${need.hash} at path ${need.prefix || "(root)"}` +
        (need.account ? ` of ${need.account}'s storage` : " of the account trie") +
        ": a deletion collapses the branch above it and no key was found to prove it",
    );
  }
}

// EIP-161: no nonce, no balance, no code.
function isEmptyAccount(p: RpcProof): boolean {
  return BigInt(p.nonce) === 0n && BigInt(p.balance) === 0n &&
    p.codeHash.toLowerCase() === EMPTY_CODE_HASH;
}
