/**
 * Just enough of the Merkle-Patricia trie for the witness builder to reason about a witness:
 * decode nodes, follow a key's path, find which untouched nodes a set of deletions needs (branch
 * collapses), and rebuild a pre-state node from the post-state node it was merged into. It never
 * computes a root: the check of a built witness (./verify.ts) uses @ethereumjs/mpt's tries, and
 * the tests compare this code with them.
 */
import { fromRlp, type Hex, keccak256, toRlp } from "viem";

/** Nibbles as a lowercase hex string without 0x ("a3f" is the path a, 3, f). */
export type Nibbles = string;

/** RLP items as viem decodes them: a byte string or a list. */
export type RlpItem = Hex | RlpItem[];

/** A reference from a node to a child: a hash, a node embedded in its parent, or nothing. */
export type NodeRef =
  | { readonly kind: "hash"; readonly hash: Hex }
  | { readonly kind: "inline"; readonly node: TrieNode; readonly raw: RlpItem[] }
  | { readonly kind: "empty" };

/** A decoded trie node. */
export type TrieNode =
  | { readonly kind: "branch"; readonly children: readonly NodeRef[]; readonly value: Hex }
  | { readonly kind: "leaf"; readonly path: Nibbles; readonly value: Hex }
  | { readonly kind: "ext"; readonly path: Nibbles; readonly child: NodeRef };

/** The root of an empty trie. */
export const EMPTY_ROOT: Hex = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

/** The trie path of a secure-trie key: the nibbles of keccak256(key). */
export function keyPath(key: Hex): Nibbles {
  return keccak256(key).slice(2);
}

/** Decodes one RLP trie node. */
export function decodeNode(rlp: Hex): TrieNode {
  return fromItems(fromRlp(rlp, "hex") as RlpItem);
}

function fromItems(items: RlpItem): TrieNode {
  if (!Array.isArray(items)) throw new Error("trie node is not an RLP list");
  if (items.length === 17) {
    return {
      kind: "branch",
      children: items.slice(0, 16).map(toRef),
      value: items[16] as Hex,
    };
  }
  if (items.length !== 2 || Array.isArray(items[0])) {
    throw new Error(`trie node has ${items.length} items (expected 2 or 17)`);
  }
  const { path, leaf } = hpDecode(items[0] as Hex);
  if (leaf) return { kind: "leaf", path, value: items[1] as Hex };
  return { kind: "ext", path, child: toRef(items[1]) };
}

function toRef(item: RlpItem): NodeRef {
  if (Array.isArray(item)) return { kind: "inline", node: fromItems(item), raw: item };
  if (item === "0x") return { kind: "empty" };
  if (item.length !== 66) throw new Error(`child reference of ${(item.length - 2) / 2} bytes`);
  return { kind: "hash", hash: item.toLowerCase() as Hex };
}

/** Decodes a hex-prefix encoded path. */
export function hpDecode(encoded: Hex): { path: Nibbles; leaf: boolean } {
  const s = encoded.slice(2).toLowerCase();
  const flag = parseInt(s[0], 16);
  const leaf = flag >= 2;
  const odd = flag % 2 === 1;
  return { path: odd ? s.slice(1) : s.slice(2), leaf };
}

/** Hex-prefix encodes a path. */
export function hpEncode(path: Nibbles, leaf: boolean): Hex {
  const flag = (leaf ? 2 : 0) + (path.length % 2);
  return `0x${flag.toString(16)}${path.length % 2 ? "" : "0"}${path}` as Hex;
}

/** Trie nodes by hash, as the witness holds them. */
export class NodeStore {
  private readonly nodes = new Map<Hex, Hex>();

  /** A store holding `rlps`. */
  static of(rlps: readonly Hex[]): NodeStore {
    const s = new NodeStore();
    s.addAll(rlps);
    return s;
  }

  /** Adds an RLP node; returns its hash. */
  add(rlp: Hex): Hex {
    const lower = rlp.toLowerCase() as Hex;
    const hash = keccak256(lower);
    if (!this.nodes.has(hash)) this.nodes.set(hash, lower);
    return hash;
  }

  /** Adds every node of a proof. */
  addAll(rlps: readonly Hex[]): void {
    for (const r of rlps) this.add(r);
  }

  has(hash: Hex): boolean {
    return this.nodes.has(hash.toLowerCase() as Hex);
  }

  /** The decoded node with this hash, or undefined when the witness lacks it. */
  get(hash: Hex): TrieNode | undefined {
    const rlp = this.nodes.get(hash.toLowerCase() as Hex);
    return rlp === undefined ? undefined : decodeNode(rlp);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The RLP of the node with this hash, or undefined. */
  raw(hash: Hex): Hex | undefined {
    return this.nodes.get(hash.toLowerCase() as Hex);
  }

  /** Every node, sorted by hash (a reproducible order). */
  values(): Hex[] {
    return [...this.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) =>
      v
    );
  }
}

/** A node the witness must hold: the hash of an untouched child and the path where it sits. */
export interface NeededNode {
  readonly hash: Hex;
  readonly prefix: Nibbles;
}

/** The result of looking a key up in a partial trie. */
export type Lookup =
  | { readonly kind: "found"; readonly value: Hex }
  | { readonly kind: "absent" }
  | { readonly kind: "missing"; readonly hash: Hex; readonly prefix: Nibbles };

/** Looks `path` up from `root`; reports the first node the store lacks. */
export function lookup(store: NodeStore, root: Hex, path: Nibbles): Lookup {
  if (root.toLowerCase() === EMPTY_ROOT) return { kind: "absent" };
  let ref: NodeRef = { kind: "hash", hash: root.toLowerCase() as Hex };
  let depth = 0;
  for (;;) {
    let node: TrieNode;
    if (ref.kind === "empty") return { kind: "absent" };
    if (ref.kind === "hash") {
      const n = store.get(ref.hash);
      if (!n) return { kind: "missing", hash: ref.hash, prefix: path.slice(0, depth) };
      node = n;
    } else node = ref.node;
    if (node.kind === "leaf") {
      return node.path === path.slice(depth)
        ? { kind: "found", value: node.value }
        : { kind: "absent" };
    }
    if (node.kind === "ext") {
      if (!path.startsWith(node.path, depth)) return { kind: "absent" };
      depth += node.path.length;
      ref = node.child;
      continue;
    }
    if (depth === path.length) return { kind: "absent" };
    ref = node.children[parseInt(path[depth], 16)];
    depth++;
  }
}

/**
 * The untouched nodes that deleting `deleted` (full key paths) from the trie at `root` makes the
 * executor read: when a branch is left with one child, that child is merged into its parent's
 * slot, so its preimage must be in the witness. Insertions are ignored on purpose: an executor
 * may apply deletions first, so a collapse can happen even when an insertion refills the branch.
 * Nodes on the deleted keys' own paths must already be in `store` (the keys' proofs).
 */
export function collapseNeeds(
  store: NodeStore,
  root: Hex,
  deleted: readonly Nibbles[],
): NeededNode[] {
  const needs = new Map<Hex, NeededNode>();
  if (deleted.length === 0 || root.toLowerCase() === EMPTY_ROOT) return [];
  const gone = new Set(deleted);

  // Returns whether the subtree at `ref` (at `prefix`) is empty once the deleted keys are removed.
  const prune = (ref: NodeRef, prefix: Nibbles, under: readonly Nibbles[]): boolean => {
    if (ref.kind === "empty") return true;
    if (under.length === 0) return false;
    const node = ref.kind === "hash" ? store.get(ref.hash) : ref.node;
    if (!node) return false; // not on a deleted key's path after all: it stays as it is
    if (node.kind === "leaf") return gone.has(prefix + node.path);
    if (node.kind === "ext") {
      const inside = under.filter((p) => p.startsWith(prefix + node.path));
      return prune(node.child, prefix + node.path, inside);
    }
    const remaining: { nibble: number; ref: NodeRef; touched: boolean }[] = [];
    for (let i = 0; i < 16; i++) {
      const child = node.children[i];
      if (child.kind === "empty") continue;
      const p = prefix + i.toString(16);
      const inside = under.filter((k) => k.startsWith(p));
      const empty = prune(child, p, inside);
      if (!empty) remaining.push({ nibble: i, ref: child, touched: inside.length > 0 });
    }
    if (remaining.length === 1 && node.value === "0x") {
      const only = remaining[0];
      if (only.ref.kind === "hash" && !store.has(only.ref.hash)) {
        needs.set(only.ref.hash, {
          hash: only.ref.hash,
          prefix: prefix + only.nibble.toString(16),
        });
      }
    }
    return remaining.length === 0 && node.value === "0x";
  };
  prune({ kind: "hash", hash: root.toLowerCase() as Hex }, "", [...gone]);
  return [...needs.values()];
}

/**
 * Candidate pre-state nodes hidden in post-state proof nodes: a leaf or extension that a branch
 * collapse merged into its parent carries the old child's path with extra leading nibbles, so
 * dropping 1..n leading nibbles recreates the old node. Returns candidate hash → RLP.
 */
export function shortenedCandidates(rlps: readonly Hex[]): Map<Hex, Hex> {
  const out = new Map<Hex, Hex>();
  const visit = (node: TrieNode, raw: RlpItem[]) => {
    if (node.kind === "branch") {
      for (const c of node.children) if (c.kind === "inline") visit(c.node, c.raw);
      return;
    }
    const minLen = node.kind === "leaf" ? 0 : 1;
    for (let cut = 1; node.path.length - cut >= minLen; cut++) {
      const rlp = toRlp([hpEncode(node.path.slice(cut), node.kind === "leaf"), raw[1]]);
      out.set(keccak256(rlp), rlp);
    }
    if (node.kind === "ext" && node.child.kind === "inline") visit(node.child.node, node.child.raw);
  };
  for (const rlp of rlps) visit(decodeNode(rlp), fromRlp(rlp, "hex") as RlpItem[]);
  return out;
}
