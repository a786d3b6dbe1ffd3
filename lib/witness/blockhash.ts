/**
 * Which ancestor headers the block needs: the parent always, and every ancestor BLOCKHASH reads
 * (the witness holds the contiguous range from the oldest one up to the parent, so each hash is
 * checked through the parent-hash chain). Cheap first: a static scan of the bytecode each
 * transaction touches; only transactions that may run BLOCKHASH (or create contracts whose init
 * code might) are traced opcode by opcode. A node that records no opcode steps (anvil without
 * --steps-tracing) makes us fall back to all 256 ancestors.
 */
import type { Address, Hex } from "viem";
import type { RpcClient } from "../rpc/client.ts";
import type { RpcTransaction } from "../rpc/eth.ts";

/** What a static scan of bytecode found. */
export interface CodeScan {
  readonly blockhash: boolean;
  readonly creates: boolean;
}

const BLOCKHASH = 0x40;
const CREATE = 0xf0;
const CREATE2 = 0xf5;

/** Scans bytecode for BLOCKHASH and CREATE/CREATE2, skipping PUSH data. */
export function scanCode(code: Hex): CodeScan {
  let blockhash = false;
  let creates = false;
  const hex = code.slice(2);
  for (let i = 0; i < hex.length / 2; i++) {
    const op = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (op === BLOCKHASH) blockhash = true;
    else if (op === CREATE || op === CREATE2) creates = true;
    else if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return { blockhash, creates };
}

/** How the ancestor set was found. */
export type AncestorMode = "none" | "traced" | "all256";

/** The ancestors (block numbers) BLOCKHASH reads in block `n`. */
export interface AncestorUse {
  readonly numbers: bigint[];
  readonly mode: AncestorMode;
  /** Transactions traced opcode by opcode. */
  readonly tracedTxs: number;
}

interface StructLog {
  readonly op: string;
  readonly stack?: readonly Hex[];
}

/** Finds the ancestors BLOCKHASH reads; see the module comment. */
export async function findAncestorUse(
  rpc: RpcClient,
  n: bigint,
  txs: readonly RpcTransaction[],
  perTx: readonly Address[][],
  codes: ReadonlyMap<Address, Hex>,
): Promise<AncestorUse> {
  const scans = new Map<Address, CodeScan>();
  for (const [a, c] of codes) scans.set(a, scanCode(c));
  const suspicious = txs.filter((tx, i) => {
    if (tx.to === null && tx.input !== "0x") {
      const s = scanCode(tx.input);
      if (s.blockhash || s.creates) return true;
    }
    return (perTx[i] ?? []).some((a) => {
      const s = scans.get(a);
      return s !== undefined && (s.blockhash || s.creates);
    });
  });
  if (suspicious.length === 0) return { numbers: [], mode: "none", tracedTxs: 0 };

  const traces = await rpc.batch<{ structLogs?: StructLog[] }>(suspicious.map((tx) => ({
    method: "debug_traceTransaction",
    params: [tx.hash, {
      disableStorage: true,
      disableMemory: true,
      disableStack: false,
      enableReturnData: false,
    }],
  })));
  const used = new Set<bigint>();
  for (const t of traces) {
    const logs = t.structLogs ?? [];
    if (logs.length === 0) {
      return { numbers: allAncestors(n), mode: "all256", tracedTxs: suspicious.length };
    }
    for (const step of logs) {
      if (step.op !== "BLOCKHASH" || !step.stack?.length) continue;
      const arg = BigInt(step.stack[step.stack.length - 1]);
      if (arg < n && arg + 256n >= n) used.add(arg);
    }
  }
  return {
    numbers: [...used].sort((a, b) => (a < b ? -1 : 1)),
    mode: "traced",
    tracedTxs: suspicious.length,
  };
}

function allAncestors(n: bigint): bigint[] {
  const out: bigint[] = [];
  for (let k = n - 1n; k >= 0n && n - k <= 256n; k--) out.push(k);
  return out.reverse();
}

/** The header numbers the witness holds: the oldest used ancestor up to the parent. */
export function headerRange(n: bigint, used: readonly bigint[]): bigint[] {
  if (n === 0n) return [];
  const oldest = used.length ? used.reduce((a, b) => (a < b ? a : b)) : n - 1n;
  const out: bigint[] = [];
  for (let k = n - 1n; k >= oldest; k--) out.push(k);
  return out;
}
