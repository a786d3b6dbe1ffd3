/**
 * A Merkle-Patricia trie over a partial node set (a witness): reads, writes and deletes resolve
 * hashed nodes from the store on demand and fail with MissingNodeError when the witness lacks one.
 * Used to check, independently of the Rust executor, that a witness is enough to compute a block's
 * post-state root (deletions included: a collapsing branch must be able to read its last child).
 */
import { type Hex, keccak256, toRlp } from "viem";
import {
  EMPTY_ROOT,
  hpEncode,
  type Nibbles,
  type NodeRef,
  type NodeStore,
  type RlpItem,
  type TrieNode,
} from "./trie.ts";

/** The witness lacks a node the operation must read. */
export class MissingNodeError extends Error {
  override name = "MissingNodeError";
  constructor(readonly hash: Hex, readonly path: Nibbles) {
    super(`witness lacks trie node ${hash} at path ${path || "(root)"}`);
  }
}

type Mem =
  | { readonly t: "empty" }
  | { readonly t: "hash"; readonly hash: Hex }
  | { readonly t: "leaf"; readonly path: Nibbles; readonly value: Hex }
  | { readonly t: "ext"; readonly path: Nibbles; readonly child: Mem }
  | { readonly t: "branch"; readonly children: readonly Mem[] };

const EMPTY: Mem = { t: "empty" };

/** A mutable trie rooted at a hash, resolving nodes from a NodeStore. */
export class SparseTrie {
  private root: Mem;

  constructor(private readonly store: NodeStore, root: Hex) {
    this.root = root.toLowerCase() === EMPTY_ROOT
      ? EMPTY
      : { t: "hash", hash: root.toLowerCase() as Hex };
  }

  /** The value at `path`, or undefined when absent. */
  get(path: Nibbles): Hex | undefined {
    let node = this.root;
    let depth = 0;
    for (;;) {
      node = this.resolve(node, path.slice(0, depth));
      if (node.t === "empty") return undefined;
      if (node.t === "leaf") return node.path === path.slice(depth) ? node.value : undefined;
      if (node.t === "ext") {
        if (!path.startsWith(node.path, depth)) return undefined;
        depth += node.path.length;
        node = node.child;
        continue;
      }
      if (node.t === "branch") {
        node = node.children[parseInt(path[depth], 16)];
        depth++;
      }
    }
  }

  /** Sets `path` to `value`, or deletes it when `value` is undefined. */
  set(path: Nibbles, value: Hex | undefined): void {
    this.root = value === undefined
      ? this.remove(this.root, path, 0)
      : this.insert(this.root, path, 0, value);
  }

  /** The root hash. */
  hash(): Hex {
    if (this.root.t === "empty") return EMPTY_ROOT;
    if (this.root.t === "hash") return this.root.hash;
    // deno-lint-ignore no-explicit-any
    return keccak256(toRlp(this.items(this.root) as any));
  }

  /** RLP of every in-memory node of 32 bytes or more (the nodes a store needs to reload this trie). */
  encodedNodes(): Hex[] {
    const out: Hex[] = [];
    const walk = (node: Mem, isRoot: boolean) => {
      if (node.t === "empty" || node.t === "hash") return;
      // deno-lint-ignore no-explicit-any
      const rlp = toRlp(this.items(node) as any);
      if (isRoot || (rlp.length - 2) / 2 >= 32) out.push(rlp);
      if (node.t === "ext") walk(node.child, false);
      if (node.t === "branch") { for (const c of node.children) walk(c, false); }
    };
    walk(this.root, true);
    return out;
  }

  private resolve(node: Mem, path: Nibbles): Mem {
    if (node.t !== "hash") return node;
    const decoded = this.store.get(node.hash);
    if (!decoded) throw new MissingNodeError(node.hash, path);
    return fromTrieNode(decoded);
  }

  private insert(node: Mem, path: Nibbles, depth: number, value: Hex): Mem {
    node = this.resolve(node, path.slice(0, depth));
    const rest = path.slice(depth);
    if (node.t === "empty") return { t: "leaf", path: rest, value };
    if (node.t === "leaf") {
      if (node.path === rest) return { t: "leaf", path: rest, value };
      const common = commonPrefix(node.path, rest);
      const children: Mem[] = Array(16).fill(EMPTY);
      children[parseInt(node.path[common], 16)] = {
        t: "leaf",
        path: node.path.slice(common + 1),
        value: node.value,
      };
      children[parseInt(rest[common], 16)] = { t: "leaf", path: rest.slice(common + 1), value };
      const branch: Mem = { t: "branch", children };
      return common ? { t: "ext", path: rest.slice(0, common), child: branch } : branch;
    }
    if (node.t === "ext") {
      const common = commonPrefix(node.path, rest);
      if (common === node.path.length) {
        return { ...node, child: this.insert(node.child, path, depth + common, value) };
      }
      const children: Mem[] = Array(16).fill(EMPTY);
      const tail = node.path.slice(common + 1);
      children[parseInt(node.path[common], 16)] = tail
        ? { t: "ext", path: tail, child: node.child }
        : node.child;
      children[parseInt(rest[common], 16)] = { t: "leaf", path: rest.slice(common + 1), value };
      const branch: Mem = { t: "branch", children };
      return common ? { t: "ext", path: rest.slice(0, common), child: branch } : branch;
    }
    if (node.t === "branch") {
      const i = parseInt(rest[0], 16);
      const children = [...node.children];
      children[i] = this.insert(children[i], path, depth + 1, value);
      return { t: "branch", children };
    }
    throw new Error("unreachable");
  }

  private remove(node: Mem, path: Nibbles, depth: number): Mem {
    node = this.resolve(node, path.slice(0, depth));
    const rest = path.slice(depth);
    if (node.t === "empty") return node;
    if (node.t === "leaf") return node.path === rest ? EMPTY : node;
    if (node.t === "ext") {
      if (!rest.startsWith(node.path)) return node;
      const child = this.remove(node.child, path, depth + node.path.length);
      return this.joinExt(node.path, child, path.slice(0, depth + node.path.length));
    }
    if (node.t === "branch") {
      const i = parseInt(rest[0], 16);
      const children = [...node.children];
      children[i] = this.remove(children[i], path, depth + 1);
      const left = children.flatMap((c, k) => (c.t === "empty" ? [] : [k]));
      if (left.length === 0) return EMPTY;
      if (left.length > 1) return { t: "branch", children };
      // One child left: the branch collapses into it, which needs the child's node.
      const k = left[0];
      const childPath = path.slice(0, depth) + k.toString(16);
      return this.joinExt(k.toString(16), this.resolve(children[k], childPath), childPath);
    }
    throw new Error("unreachable");
  }

  // An extension with `prefix` over `child`, merged with the child where the trie requires it.
  private joinExt(prefix: Nibbles, child: Mem, childPath: Nibbles): Mem {
    if (child.t === "empty") return EMPTY;
    const c = child.t === "hash" ? this.resolve(child, childPath) : child;
    if (c.t === "leaf") return { t: "leaf", path: prefix + c.path, value: c.value };
    if (c.t === "ext") return { t: "ext", path: prefix + c.path, child: c.child };
    return { t: "ext", path: prefix, child };
  }

  private ref(node: Mem): RlpItem {
    if (node.t === "empty") return "0x";
    if (node.t === "hash") return node.hash;
    const items = this.items(node);
    // deno-lint-ignore no-explicit-any
    const rlp = toRlp(items as any);
    return (rlp.length - 2) / 2 < 32 ? items : keccak256(rlp);
  }

  private items(node: Mem): RlpItem[] {
    if (node.t === "leaf") return [hpEncode(node.path, true), node.value];
    if (node.t === "ext") return [hpEncode(node.path, false), this.ref(node.child)];
    if (node.t === "branch") return [...node.children.map((c) => this.ref(c)), "0x"];
    throw new Error(`cannot encode a ${node.t} node`);
  }
}

function fromRef(ref: NodeRef): Mem {
  if (ref.kind === "empty") return EMPTY;
  if (ref.kind === "hash") return { t: "hash", hash: ref.hash };
  return fromTrieNode(ref.node);
}

function fromTrieNode(n: TrieNode): Mem {
  if (n.kind === "leaf") return { t: "leaf", path: n.path, value: n.value };
  if (n.kind === "ext") return { t: "ext", path: n.path, child: fromRef(n.child) };
  return { t: "branch", children: n.children.map(fromRef) };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
