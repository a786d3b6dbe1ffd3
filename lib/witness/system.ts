/**
 * State touched by the block-level system calls, which a prestate trace of the transactions does
 * not show: EIP-4788 beacon roots and EIP-2935 block hashes before the transactions, EIP-7002 and
 * EIP-7251 request queues after them. Each contract's state is included only where it exists.
 */
import type { Address, Hex } from "viem";
import type { RpcHeader } from "../rpc/eth.ts";
import { forkAtLeast } from "./fork.ts";
import { slotKey } from "./preflight.ts";

/** EIP-4788 beacon roots contract. */
export const BEACON_ROOTS: Address = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";
/** EIP-2935 block hash history contract. */
export const HISTORY_STORAGE: Address = "0x0000F90827F1C53a10cb7A02335B175320002935";
/** EIP-7002 withdrawal request contract. */
export const WITHDRAWAL_REQUESTS: Address = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
/** EIP-7251 consolidation request contract. */
export const CONSOLIDATION_REQUESTS: Address = "0x0000BBdDc7CE488642fb579F8B00f3a590007251";

const RING = 8191n;

/** A request-queue contract (EIP-7002 / EIP-7251): its storage layout. */
export interface QueueContract {
  readonly address: Address;
  /** Storage slots per queued request. */
  readonly slotsPerRequest: number;
  /** Requests dequeued per block at most. */
  readonly maxPerBlock: number;
}

/** The queue contracts active at `fork`. */
export function queueContracts(fork: string): QueueContract[] {
  if (!forkAtLeast(fork, "prague")) return [];
  return [
    { address: WITHDRAWAL_REQUESTS, slotsPerRequest: 3, maxPerBlock: 16 },
    { address: CONSOLIDATION_REQUESTS, slotsPerRequest: 4, maxPerBlock: 2 },
  ];
}

/** The queue's fixed slots: excess, count, head, tail. */
export const QUEUE_HEADER_SLOTS: Hex[] = [0, 1, 2, 3].map(slotKey);

/** The queue slots the end-of-block call reads, given its head and tail indices. */
export function queueSlots(q: QueueContract, head: bigint, tail: bigint): Hex[] {
  const out: Hex[] = [];
  const end = tail - head > BigInt(q.maxPerBlock) ? head + BigInt(q.maxPerBlock) : tail;
  for (let i = head; i < end; i++) {
    const base = 4n + i * BigInt(q.slotsPerRequest);
    for (let j = 0n; j < BigInt(q.slotsPerRequest); j++) out.push(slotKey(base + j));
  }
  return out;
}

/** Accounts and slots of the pre-transaction system calls of the block with `header`. */
export function preBlockSystemTouches(fork: string, header: RpcHeader): Map<Address, Hex[]> {
  const out = new Map<Address, Hex[]>();
  if (forkAtLeast(fork, "cancun")) {
    const ts = BigInt(header.timestamp) % RING;
    out.set(BEACON_ROOTS, [slotKey(ts), slotKey(ts + RING)]);
  }
  if (forkAtLeast(fork, "prague")) {
    const n = BigInt(header.number);
    out.set(HISTORY_STORAGE, n > 0n ? [slotKey((n - 1n) % RING)] : []);
  }
  for (const q of queueContracts(fork)) out.set(q.address, [...QUEUE_HEADER_SLOTS]);
  return out;
}
