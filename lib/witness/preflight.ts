/**
 * Preflight: which accounts and storage slots the block's transactions touch (read or written),
 * from the node's prestateTracer. Only the keys are used; values come from eth_getProof, which
 * the node proves.
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

/** Traces block `n` (prestateTracer, pre mode) and derives the touched keys. */
export async function preflight(rpc: RpcClient, n: bigint): Promise<Preflight> {
  const tag = blockTag(n);
  let traces: TxTrace<Prestate>[];
  try {
    // One pre-mode trace: every account and slot read or written. (What changed is read from
    // eth_getProof after the block: anvil replays the block prefix per transaction when tracing,
    // so a second, diff-mode trace would double the slowest call of the whole build.)
    // includeEmpty: geth leaves out accounts that were empty before the transaction (created
    // ones, absent ones read or paid to) unless asked; the executor needs their proofs of absence
    // all the same. Nodes without the option (anvil) report them anyway.
    traces = await rpc.request<TxTrace<Prestate>[]>("debug_traceBlockByNumber", [tag, {
      tracer: "prestateTracer",
      tracerConfig: { includeEmpty: true },
    }]);
  } catch (e) {
    if (!isMethodNotFound(e)) throw e;
    throw new Error(
      `${rpc.displayUrl} has neither debug_executionWitness nor debug_traceBlockByNumber ` +
        "(prestateTracer): enable the node's debug API (geth/reth: --http.api debug) or use one that has it",
      { cause: e },
    );
  }
  const pre = results(traces, "pre");

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

  return { touched, codes, perTx };
}

/** Adds accounts (and slots) to a touched map. */
export function touch(map: Map<Address, Set<Hex>>, addr: Address, slots: Iterable<Hex> = []): void {
  add(map, addr, slots);
}
