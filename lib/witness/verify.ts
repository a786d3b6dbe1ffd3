/**
 * An independent check of a witness: apply the block's state changes (as the node reports them)
 * to the witness's partial tries and compare the resulting root with the block's state root. A
 * witness that passes holds every node a stateless executor reads or rewrites.
 */
import { type Address, getAddress, type Hex, toRlp } from "viem";
import type { ProverInput } from "../input/types.ts";
import type { RpcClient } from "../rpc/client.ts";
import { blockTag, type RpcProof } from "../rpc/eth.ts";
import { blockTouches } from "./builder.ts";
import { getBlock } from "./chain.ts";
import { slotKey } from "./preflight.ts";
import { EMPTY_CODE_HASH, fetchProofs } from "./proofs.ts";
import { rlpInt } from "./rlp.ts";
import { SparseTrie } from "./sparse_trie.ts";
import { EMPTY_ROOT, keyPath, lookup, NodeStore } from "./trie.ts";

/** An account's fields after the block. */
export interface AccountState {
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly codeHash: Hex;
}

/** How one account changed in the block, as the node's tries show it. */
export interface AccountChange {
  readonly address: Address;
  /** The account's fields after the block. */
  readonly after: AccountState;
  /** The raw account leaf in the node's trie after the block; null when the trie has none. */
  readonly nodeLeaf: Hex | null;
  /** The storage root before the block (EMPTY_ROOT for an account the trie did not hold). */
  readonly storageRootBefore: Hex;
  /** Slots whose leaf changed: value after the block and the raw leaf the node keeps (null: none). */
  readonly storage: ReadonlyMap<Hex, { readonly value: bigint; readonly nodeLeaf: Hex | null }>;
}

/**
 * How to apply changes: `canonical` follows the Ethereum spec (a zero slot and an empty account
 * leave the trie); `node` reproduces the node's own tries leaf for leaf, quirks included (anvil
 * 1.7.1 keeps zeroed slots and touched empty accounts as leaves).
 */
export type RootMode = "canonical" | "node";

/** Applies `changes` to the state trie at `preRoot` using only `store`'s nodes; returns the new root. */
export function computePostStateRoot(
  store: NodeStore,
  preRoot: Hex,
  changes: readonly AccountChange[],
  mode: RootMode = "canonical",
): Hex {
  const state = new SparseTrie(store, preRoot);
  // Deletions first: the strictest order (a collapse cannot be hidden by a later insertion).
  const ordered = [...changes].sort((a, b) => Number(isGone(a, mode)) - Number(isGone(b, mode)));
  for (const c of ordered) {
    const path = keyPath(c.address);
    if (isGone(c, mode)) {
      state.set(path, undefined);
      continue;
    }
    const storage = new SparseTrie(store, c.storageRootBefore);
    const slots = [...c.storage.entries()].map(([slot, v]) => ({
      slot,
      leaf: mode === "node"
        ? v.nodeLeaf ?? undefined
        : v.value === 0n
        ? undefined
        : toRlp(rlpInt(v.value)),
    })).sort((a, b) => Number(a.leaf !== undefined) - Number(b.leaf !== undefined));
    for (const { slot, leaf } of slots) storage.set(keyPath(slot), leaf);
    state.set(
      path,
      toRlp([rlpInt(c.after.nonce), rlpInt(c.after.balance), storage.hash(), c.after.codeHash]),
    );
  }
  return state.hash();
}

function isGone(c: AccountChange, mode: RootMode): boolean {
  if (mode === "node") return c.nodeLeaf === null;
  // EIP-161: an account that ends the block empty is not in the state.
  return c.nodeLeaf === null ||
    (c.after.nonce === 0n && c.after.balance === 0n && c.after.codeHash === EMPTY_CODE_HASH &&
      [...c.storage.values()].every((v) => v.value === 0n) && c.storageRootBefore === EMPTY_ROOT);
}

/**
 * The state changes of block `n` for the keys it touches, read from the node with eth_getProof
 * before and after the block. The keys are the block's traced touches (blockTouches) and those
 * the input's witness names: nodes' `keys` may be absent, null (geth) or partial. Test and
 * diagnosis helper: it costs a trace and two proofs per account.
 */
export async function stateChangesFromNode(
  rpc: RpcClient,
  n: bigint,
  input: ProverInput,
): Promise<AccountChange[]> {
  const slots = input.witness.keys.filter((k) => k.length === 66).map(slotKey);
  const req = new Map<Address, Set<Hex>>();
  for (const k of input.witness.keys) if (k.length === 42) req.set(getAddress(k), new Set(slots));
  const traced = await blockTouches(rpc, await getBlock(rpc, n), input.fork);
  for (const [a, s] of traced.touched) req.set(a, new Set([...(req.get(a) ?? []), ...s]));
  const addresses = [...req.keys()];
  const [headers, before, after, touched] = await Promise.all([
    rpc.batch<{ stateRoot: Hex }>([
      { method: "eth_getBlockByNumber", params: [blockTag(n - 1n), false] },
      { method: "eth_getBlockByNumber", params: [blockTag(n), false] },
    ]),
    fetchProofs(rpc, req, n - 1n),
    fetchProofs(rpc, req, n),
    touchedAccounts(rpc, n),
  ]);
  const changes: AccountChange[] = [];
  for (const addr of addresses) {
    const b = before.get(addr)!;
    const a = after.get(addr)!;
    const leafBefore = accountLeaf(b, headers[0].stateRoot);
    const leafAfter = accountLeaf(a, headers[1].stateRoot);
    const storage = new Map<Hex, { value: bigint; nodeLeaf: Hex | null }>();
    for (const s of a.storageProof) {
      const key = slotKey(s.key);
      const pre = b.storageProof.find((x) => slotKey(x.key) === key)!;
      const preLeaf = leafBefore ? slotLeaf(pre.proof, b.storageHash, key) : null;
      const postLeaf = leafAfter ? slotLeaf(s.proof, a.storageHash, key) : null;
      if (preLeaf !== postLeaf) storage.set(key, { value: BigInt(s.value), nodeLeaf: postLeaf });
    }
    // An empty account the block touches leaves the trie by the spec (EIP-161), even where the
    // node keeps its leaf unchanged.
    const touchedEmpty = leafBefore !== null && touched.has(addr) && BigInt(a.nonce) === 0n &&
      BigInt(a.balance) === 0n && a.codeHash.toLowerCase() === EMPTY_CODE_HASH;
    if (leafBefore === leafAfter && !touchedEmpty) continue;
    changes.push({
      address: addr,
      after: {
        nonce: BigInt(a.nonce),
        balance: BigInt(a.balance),
        codeHash: a.codeHash.toLowerCase() as Hex,
      },
      nodeLeaf: leafAfter,
      storageRootBefore: leafBefore ? b.storageHash : EMPTY_ROOT,
      storage,
    });
  }
  return changes;
}

interface CallFrame {
  readonly type: string;
  readonly from: Address;
  readonly to?: Address;
  readonly calls?: readonly CallFrame[];
}

/**
 * The accounts block `n` touches in EIP-161's sense (so that, if empty, they leave the state):
 * senders, recipients and targets of CALL, STATICCALL, CREATE* and SELFDESTRUCT, and the
 * coinbase. DELEGATECALL and CALLCODE run code without touching the target.
 */
async function touchedAccounts(rpc: RpcClient, n: bigint): Promise<Set<Address>> {
  const [block, traces] = await Promise.all([
    rpc.request<{ miner: Address }>("eth_getBlockByNumber", [blockTag(n), false]),
    rpc.request<{ result: CallFrame }[]>("debug_traceBlockByNumber", [blockTag(n), {
      tracer: "callTracer",
    }]),
  ]);
  const out = new Set<Address>([getAddress(block.miner)]);
  const walk = (f: CallFrame) => {
    out.add(getAddress(f.from));
    if (f.to && f.type !== "DELEGATECALL" && f.type !== "CALLCODE") out.add(getAddress(f.to));
    for (const c of f.calls ?? []) walk(c);
  };
  for (const t of traces) walk(t.result);
  return out;
}

function accountLeaf(p: RpcProof, stateRoot: Hex): Hex | null {
  const r = lookup(NodeStore.of(p.accountProof), stateRoot, keyPath(p.address));
  if (r.kind === "missing") {
    throw new Error(`eth_getProof of ${p.address} is not a proof against ${stateRoot}`);
  }
  return r.kind === "found" ? r.value : null;
}

function slotLeaf(proof: readonly Hex[], storageRoot: Hex, slot: Hex): Hex | null {
  const r = lookup(NodeStore.of(proof), storageRoot, keyPath(slot));
  if (r.kind === "missing") {
    throw new Error(`storage proof of ${slot} is not a proof against ${storageRoot}`);
  }
  return r.kind === "found" ? r.value : null;
}

/** Roots of block `n` computed from `input`'s witness alone, in both modes, beside the header's. */
export interface WitnessRoots {
  readonly preRoot: Hex;
  /** The block header's state root. */
  readonly header: Hex;
  /** The node's semantics: equals `header` when the witness is complete. */
  readonly node: Hex;
  /** The Ethereum spec's semantics: what a correct executor computes. */
  readonly canonical: Hex;
}

/** Recomputes block `n`'s post-state root from `input`'s witness (see {@link WitnessRoots}). */
export async function witnessRoots(
  rpc: RpcClient,
  n: bigint,
  input: ProverInput,
): Promise<WitnessRoots> {
  const [block, parent] = await rpc.batch<{ stateRoot: Hex }>([
    { method: "eth_getBlockByNumber", params: [blockTag(n), false] },
    { method: "eth_getBlockByNumber", params: [blockTag(n - 1n), false] },
  ]);
  const changes = await stateChangesFromNode(rpc, n, input);
  const store = NodeStore.of(input.witness.state);
  return {
    preRoot: parent.stateRoot.toLowerCase() as Hex,
    header: block.stateRoot.toLowerCase() as Hex,
    node: computePostStateRoot(store, parent.stateRoot, changes, "node"),
    canonical: computePostStateRoot(store, parent.stateRoot, changes, "canonical"),
  };
}
