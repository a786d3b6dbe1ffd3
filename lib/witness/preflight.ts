/**
 * Preflight: which accounts and storage slots the block's transactions touch, and how it leaves
 * them, from the node's prestateTracer (pre mode: everything read or written; diff mode: what
 * changed). Only the keys are used; values come from eth_getProof, which the node proves.
 */
import { type Address, getAddress, type Hex } from "viem";
import type { RpcClient } from "../rpc/client.ts";
import { blockTag } from "../rpc/eth.ts";
import { isMethodNotFound } from "../rpc/errors.ts";

/** One account of a prestateTracer answer. */
interface PrestateAccount {
  readonly balance?: Hex;
  readonly nonce?: number;
  readonly code?: Hex;
  readonly storage?: Record<Hex, Hex>;
}
type Prestate = Record<Address, PrestateAccount>;
interface TxTrace<T> {
  readonly txHash?: Hex;
  readonly result?: T;
  readonly error?: string;
}

/** Touched state of one block. */
export interface Preflight {
  /** Every touched account (checksummed address) → touched slots (32-byte hex, lowercase). */
  readonly touched: Map<Address, Set<Hex>>;
  /** Bytecode the tracer reported, by account. */
  readonly codes: Map<Address, Hex>;
  /** Accounts touched by each transaction, in block order. */
  readonly perTx: Address[][];
  /** Slots whose value is zero after the block, per account (candidates for trie deletion). */
  readonly zeroedSlots: Map<Address, Set<Hex>>;
  /** Accounts that do not exist after the block (candidates for trie deletion). */
  readonly removedAccounts: Set<Address>;
}

/** A 32-byte slot key, zero-padded and lowercase. */
export function slotKey(slot: Hex | bigint | number): Hex {
  return `0x${BigInt(slot).toString(16).padStart(64, "0")}`;
}

function add(map: Map<Address, Set<Hex>>, addr: Address, slots: Iterable<Hex> = []): Set<Hex> {
  const a = getAddress(addr);
  let set = map.get(a);
  if (!set) map.set(a, set = new Set());
  for (const s of slots) set.add(slotKey(s));
  return set;
}

function results<T>(traces: readonly TxTrace<T>[], mode: string): T[] {
  return traces.map((t, i) => {
    if (t.error || !t.result) {
      throw new Error(
        `prestateTracer (${mode}) failed for transaction ${i} ${t.txHash ?? ""}: ${t.error}`,
      );
    }
    return t.result;
  });
}

/** Traces block `n` in pre and diff mode (in parallel) and derives the touched keys. */
export async function preflight(rpc: RpcClient, n: bigint): Promise<Preflight> {
  const tag = blockTag(n);
  let preTraces: TxTrace<unknown>[], diffTraces: TxTrace<unknown>[];
  try {
    [preTraces, diffTraces] = await rpc.batch<TxTrace<unknown>[]>([
      { method: "debug_traceBlockByNumber", params: [tag, { tracer: "prestateTracer" }] },
      {
        method: "debug_traceBlockByNumber",
        params: [tag, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }],
      },
    ]);
  } catch (e) {
    if (!isMethodNotFound(e)) throw e;
    throw new Error(
      `${rpc.displayUrl} has neither debug_executionWitness nor debug_traceBlockByNumber ` +
        "(prestateTracer): enable the node's debug API (geth/reth: --http.api debug) or use one that has it",
      { cause: e },
    );
  }
  const pre = results(preTraces as TxTrace<Prestate>[], "pre");
  const diff = results(diffTraces as TxTrace<{ pre: Prestate; post: Prestate }>[], "diff");

  const touched = new Map<Address, Set<Hex>>();
  const codes = new Map<Address, Hex>();
  const perTx: Address[][] = [];
  for (const state of pre) {
    const accounts: Address[] = [];
    for (const [addr, acc] of Object.entries(state) as [Address, PrestateAccount][]) {
      add(touched, addr, Object.keys(acc.storage ?? {}) as Hex[]);
      accounts.push(getAddress(addr));
      if (acc.code && acc.code !== "0x" && !codes.has(getAddress(addr))) {
        codes.set(getAddress(addr), acc.code);
      }
    }
    perTx.push(accounts);
  }

  // Follow each key's last write through the block: in diff mode a slot in `pre` but not in
  // `post` became zero, and an account in `pre` but not in `post` was removed.
  const lastSlot = new Map<Address, Map<Hex, boolean>>(); // true: zero after the write
  const lastAccount = new Map<Address, boolean>(); // true: removed
  for (const { pre: before, post: after } of diff) {
    for (const [rawAddr, acc] of Object.entries(before) as [Address, PrestateAccount][]) {
      const addr = getAddress(rawAddr);
      const afterAcc = Object.entries(after).find(([a]) => getAddress(a as Address) === addr)?.[1];
      if (!afterAcc) lastAccount.set(addr, true);
      for (const slot of Object.keys(acc.storage ?? {}) as Hex[]) {
        const v = afterAcc?.storage?.[slot];
        setSlot(lastSlot, addr, slot, v === undefined || BigInt(v) === 0n);
      }
      add(touched, addr, Object.keys(acc.storage ?? {}) as Hex[]);
    }
    for (const [rawAddr, acc] of Object.entries(after) as [Address, PrestateAccount][]) {
      const addr = getAddress(rawAddr);
      lastAccount.set(addr, false);
      for (const [slot, v] of Object.entries(acc.storage ?? {}) as [Hex, Hex][]) {
        setSlot(lastSlot, addr, slot, BigInt(v) === 0n);
      }
      add(touched, addr, Object.keys(acc.storage ?? {}) as Hex[]);
    }
  }
  const zeroedSlots = new Map<Address, Set<Hex>>();
  for (const [addr, slots] of lastSlot) {
    for (const [slot, zero] of slots) if (zero) add(zeroedSlots, addr, [slot]);
  }
  const removedAccounts = new Set([...lastAccount].filter(([, gone]) => gone).map(([a]) => a));
  return { touched, codes, perTx, zeroedSlots, removedAccounts };
}

function setSlot(m: Map<Address, Map<Hex, boolean>>, addr: Address, slot: Hex, zero: boolean) {
  let inner = m.get(addr);
  if (!inner) m.set(addr, inner = new Map());
  inner.set(slotKey(slot), zero);
}

/** Adds accounts (and slots) to a touched map. */
export function touch(map: Map<Address, Set<Hex>>, addr: Address, slots: Iterable<Hex> = []): void {
  add(map, addr, slots);
}
