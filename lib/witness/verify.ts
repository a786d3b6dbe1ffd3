/**
 * An independent check of a witness: apply the block's state changes (as the node reports them)
 * to the witness's partial tries and compare the resulting root with the block's state root. A
 * witness that passes holds every node a stateless executor reads or rewrites.
 *
 * The tries here are @ethereumjs/mpt's, a maintained implementation that shares no code with the
 * builder's trie reasoning (./trie.ts) or the Rust executor's trie, so the check is a second
 * opinion on both rather than the same code agreeing with itself.
 */
import { createMPTFromProof, type MerklePatriciaTrie, verifyMerkleProof } from "@ethereumjs/mpt";
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, toRlp } from "viem";
import type { ProverInput } from "../input/types.ts";
import type { RpcClient } from "../rpc/client.ts";
import { blockTag, type RpcProof } from "../rpc/eth.ts";
import { blockTouches } from "./builder.ts";
import { getBlock } from "./chain.ts";
import { slotKey } from "./preflight.ts";
import { EMPTY_CODE_HASH, fetchProofs } from "./proofs.ts";
import { rlpInt } from "./rlp.ts";
import { EMPTY_ROOT } from "./trie.ts";

/** The witness lacks a node that writing `key` into `trie` must read (on its path or a collapse). */
export class MissingNodeError extends Error {
  override name = "MissingNodeError";
  constructor(readonly trie: string, readonly key: Hex) {
    super(`witness lacks a trie node that writing ${key} into ${trie} reads`);
  }
}

/** The one message @ethereumjs/mpt throws for a node its database lacks. */
const MISSING = "Missing node in DB";

/**
 * Tries keyed by keccak256(key), over a shared set of witness nodes: writes that would need a node
 * the witness lacks throw MissingNodeError instead of going on with a guess.
 */
export class WitnessTries {
  private constructor(private readonly base: MerklePatriciaTrie) {}

  /** Tries over `nodes` (RLP trie nodes in any order, as a witness holds them). */
  static async of(nodes: readonly Hex[]): Promise<WitnessTries> {
    return new WitnessTries(
      await createMPTFromProof(nodes.map((n) => hexToBytes(n)), { useKeyHashing: true }),
    );
  }

  /**
   * Applies `writes` (key → value, undefined deletes) to the trie at `root`, in order; returns the
   * new root. `name` says which trie in errors.
   */
  async apply(
    root: Hex,
    writes: Iterable<readonly [Hex, Hex | undefined]>,
    name: string,
  ): Promise<Hex> {
    const trie = this.base.shallowCopy(false);
    trie.root(hexToBytes(root));
    // The nodes this trie writes stay in the checkpoint's cache, never in the shared store: no
    // other trie (another account's storage, the other mode) can read them in place of the
    // witness's.
    trie.checkpoint();
    for (const [key, value] of writes) {
      const k = hexToBytes(key);
      try {
        // The library skips a missing node on a key's path (findPath swallows it) and would go on
        // from a partial path: read the path strictly first (an empty trie has no path to read).
        // A collapse that needs a missing sibling throws from the write itself.
        if (bytesToHex(trie.root()) !== EMPTY_ROOT) await trie.get(k, true);
        await trie.put(k, value === undefined ? new Uint8Array() : hexToBytes(value));
      } catch (e) {
        if ((e as Error).message === MISSING) throw new MissingNodeError(name, key);
        throw e;
      }
    }
    return bytesToHex(trie.root());
  }
}

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

/**
 * Applies `changes` to the state trie at `preRoot` using only the witness's `nodes`; returns the
 * new root.
 */
export async function computePostStateRoot(
  nodes: readonly Hex[],
  preRoot: Hex,
  changes: readonly AccountChange[],
  mode: RootMode = "canonical",
): Promise<Hex> {
  const tries = await WitnessTries.of(nodes);
  // Deletions first: the strictest order (a collapse cannot be hidden by a later insertion).
  const ordered = [...changes].sort((a, b) => Number(isGone(a, mode)) - Number(isGone(b, mode)));
  const accounts: [Hex, Hex | undefined][] = [];
  for (const c of ordered) {
    if (isGone(c, mode)) {
      accounts.push([c.address, undefined]);
      continue;
    }
    const slots = [...c.storage.entries()].map(([slot, v]) => [slot, slotLeaf(v, mode)] as const)
      .sort((a, b) => Number(a[1] !== undefined) - Number(b[1] !== undefined));
    const storageRoot = await tries.apply(
      c.storageRootBefore,
      slots,
      `the storage of ${c.address}`,
    );
    accounts.push([
      c.address,
      toRlp([rlpInt(c.after.nonce), rlpInt(c.after.balance), storageRoot, c.after.codeHash]),
    ]);
  }
  return await tries.apply(preRoot, accounts, "the account trie");
}

// The leaf a slot change writes: the node's own leaf, or the spec's (a zero slot leaves the trie).
function slotLeaf(v: { value: bigint; nodeLeaf: Hex | null }, mode: RootMode): Hex | undefined {
  if (mode === "node") return v.nodeLeaf ?? undefined;
  return v.value === 0n ? undefined : toRlp(rlpInt(v.value));
}

/**
 * How many of `changes` the node writes otherwise than the spec does (a zeroed slot or an empty
 * account kept as a leaf, as anvil does): zero exactly when both modes write the same state.
 */
export function specDeviations(changes: readonly AccountChange[]): number {
  let n = 0;
  for (const c of changes) {
    const gone = isGone(c, "canonical");
    if (gone !== isGone(c, "node")) n++;
    else if (!gone) {
      for (const v of c.storage.values()) if (slotLeaf(v, "node") !== slotLeaf(v, "canonical")) n++;
    }
  }
  return n;
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
    const leafBefore = await accountLeaf(b, headers[0].stateRoot);
    const leafAfter = await accountLeaf(a, headers[1].stateRoot);
    const storage = new Map<Hex, { value: bigint; nodeLeaf: Hex | null }>();
    for (const s of a.storageProof) {
      const key = slotKey(s.key);
      const pre = b.storageProof.find((x) => slotKey(x.key) === key)!;
      const preLeaf = leafBefore ? await storageLeaf(pre.proof, b.storageHash, key) : null;
      const postLeaf = leafAfter ? await storageLeaf(s.proof, a.storageHash, key) : null;
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

// The leaf `proof` (eth_getProof's) shows for `key` in the trie at `root`, or null for none.
async function provenLeaf(proof: readonly Hex[], root: Hex, key: Hex, what: string) {
  // An empty trie holds no key, whatever the node sends as its proof ([] or the empty node).
  if (root.toLowerCase() === EMPTY_ROOT) return null;
  try {
    const leaf = await verifyMerkleProof(hexToBytes(key), proof.map((n) => hexToBytes(n)), {
      root: hexToBytes(root),
      useKeyHashing: true,
    });
    return leaf === null ? null : bytesToHex(leaf);
  } catch (e) {
    throw new Error(`${what} is not a proof against ${root}`, { cause: e });
  }
}

function accountLeaf(p: RpcProof, stateRoot: Hex): Promise<Hex | null> {
  return provenLeaf(p.accountProof, stateRoot, p.address, `eth_getProof of ${p.address}`);
}

function storageLeaf(proof: readonly Hex[], storageRoot: Hex, slot: Hex): Promise<Hex | null> {
  return provenLeaf(proof, storageRoot, slot, `storage proof of ${slot}`);
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
  /** Changes the node wrote otherwise than the spec ({@link specDeviations}). */
  readonly deviations: number;
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
  const nodes = input.witness.state;
  return {
    preRoot: parent.stateRoot.toLowerCase() as Hex,
    header: block.stateRoot.toLowerCase() as Hex,
    node: await computePostStateRoot(nodes, parent.stateRoot, changes, "node"),
    canonical: await computePostStateRoot(nodes, parent.stateRoot, changes, "canonical"),
    deviations: specDeviations(changes),
  };
}
