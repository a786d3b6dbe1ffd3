/** The result file and progress events of zkvm-host (docs/zkvm-host.md), decoded into types. */
import type { Hex } from "viem";
import type { HostErrorInfo } from "./errors.ts";
import type { BatchFacts } from "../protocol/facts.ts";

/** How the block was run: natively, in the zkVM without proof, or the receipt kind proved. */
export type HostMode = "exec" | "dev" | "composite" | "succinct" | "groth16";

/** Where a real proof was made. */
export type HostProver = "cpu" | "cuda" | "bonsai";

/** Cycle counts (null for the exec backend). */
export interface HostCycles {
  readonly total: number | null;
  readonly user: number | null;
  readonly paging: number | null;
  readonly phases: Readonly<Record<string, number>>;
}

/** The block as the host checked it. */
export interface HostBlock {
  readonly chainId: number;
  readonly number: number;
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly preStateRoot: Hex;
  readonly postStateRoot: Hex;
  readonly txCount: number;
  readonly gasUsed: number;
}

/** The batch as the host checked it (result version 2): the journal's facts and the totals. */
export interface HostBatch extends BatchFacts {
  readonly txCount: number;
  readonly gasUsed: number;
  /** Each block, where the host ran the executor natively (exec); empty for risc0. */
  readonly blocks: readonly {
    readonly number: number;
    readonly hash: Hex;
    readonly stateRoot: Hex;
    readonly txCount: number;
    readonly gasUsed: number;
  }[];
}

/** A successful host run. */
export interface HostResult {
  readonly version: number;
  readonly ok: true;
  readonly backend: "exec" | "risc0";
  readonly mode: HostMode;
  readonly imageId: Hex | null;
  readonly journal: Hex;
  readonly journalDigest: Hex | null;
  readonly seal: Hex;
  readonly receipt: unknown;
  readonly cycles: HostCycles;
  readonly segments: number;
  /** What made a real receipt; null for exec and dev mode. */
  readonly prover: HostProver | null;
  readonly wallMs: number;
  /**
   * Host-side phase times in ms: decodeMs, witnessMs, executeMs, stateRootMs, and for risc0
   * zkvmExecuteMs and (real proofs) proveMs.
   */
  readonly phases: Readonly<Record<string, number>>;
  /** For a batch: the batch as one span (number/hash of the last block, totals). */
  readonly block: HostBlock;
  /** The batch (null in a version-1 result, which had none). */
  readonly batch: HostBatch | null;
}

/** One stderr progress line. */
export type HostProgress =
  | {
    readonly event: "phase";
    readonly phase: string;
    readonly ms?: number;
    readonly [k: string]: unknown;
  }
  | { readonly event: "segment"; readonly index: number; readonly total: number | null }
  | ({ readonly event: "error" } & HostErrorInfo)
  | { readonly event: string; readonly [k: string]: unknown };

/** The result file does not match the documented contract. */
export class HostResultError extends Error {
  override name = "HostResultError";
}

/** Decodes a successful result file; throws HostResultError naming the bad field. */
export function parseHostResult(json: unknown): HostResult {
  const r = obj(json, "$");
  if (r.ok !== true) throw new HostResultError(`ok: expected true, got ${JSON.stringify(r.ok)}`);
  const b = obj(r.block, "block");
  const cycles = r.cycles && typeof r.cycles === "object"
    ? (r.cycles as Record<string, unknown>)
    : {};
  return {
    version: typeof r.version === "number" ? r.version : 1,
    ok: true,
    backend: oneOf(r.backend, "backend", ["exec", "risc0"] as const),
    mode: oneOf(r.mode, "mode", ["exec", "dev", "composite", "succinct", "groth16"] as const),
    imageId: r.imageId == null ? null : hex(r.imageId, "imageId"),
    journal: hex(r.journal, "journal"),
    journalDigest: r.journalDigest == null ? null : hex(r.journalDigest, "journalDigest"),
    seal: r.seal == null ? "0x" : hex(r.seal, "seal"),
    receipt: r.receipt ?? null,
    cycles: {
      total: numOrNull(cycles.total),
      user: numOrNull(cycles.user),
      paging: numOrNull(cycles.paging),
      phases: numbers(cycles.phases),
    },
    segments: typeof r.segments === "number" ? r.segments : 0,
    prover: r.prover == null ? null : oneOf(r.prover, "prover", ["cpu", "cuda", "bonsai"] as const),
    wallMs: typeof r.wallMs === "number" ? r.wallMs : 0,
    phases: numbers(r.phases),
    block: {
      chainId: num(b.chainId, "block.chainId"),
      number: num(b.number, "block.number"),
      hash: hex(b.hash, "block.hash"),
      parentHash: hex(b.parentHash, "block.parentHash"),
      preStateRoot: hex(b.preStateRoot, "block.preStateRoot"),
      postStateRoot: hex(b.postStateRoot, "block.postStateRoot"),
      txCount: num(b.txCount, "block.txCount"),
      gasUsed: num(b.gasUsed, "block.gasUsed"),
    },
    batch: r.batch == null ? null : batchOf(obj(r.batch, "batch")),
  };
}

function batchOf(b: Record<string, unknown>): HostBatch {
  const blocks = Array.isArray(b.blocks) ? b.blocks : [];
  return {
    chainId: num(b.chainId, "batch.chainId"),
    firstBlock: num(b.firstBlock, "batch.firstBlock"),
    lastBlock: num(b.lastBlock, "batch.lastBlock"),
    parentHash: hex(b.parentHash, "batch.parentHash"),
    preStateRoot: hex(b.preStateRoot, "batch.preStateRoot"),
    postStateRoot: hex(b.postStateRoot, "batch.postStateRoot"),
    lastBlockHash: hex(b.lastBlockHash, "batch.lastBlockHash"),
    rulesDigest: hex(b.rulesDigest, "batch.rulesDigest"),
    txCount: num(b.txCount, "batch.txCount"),
    gasUsed: num(b.gasUsed, "batch.gasUsed"),
    blocks: blocks.map((x, i) => {
      const e = obj(x, `batch.blocks[${i}]`);
      return {
        number: num(e.number, `batch.blocks[${i}].number`),
        hash: hex(e.hash, `batch.blocks[${i}].hash`),
        stateRoot: hex(e.stateRoot, `batch.blocks[${i}].stateRoot`),
        txCount: num(e.txCount, `batch.blocks[${i}].txCount`),
        gasUsed: num(e.gasUsed, `batch.blocks[${i}].gasUsed`),
      };
    }),
  };
}

/** The `error` object of a failed result file, when it has one. */
export function resultError(json: unknown): HostErrorInfo | undefined {
  if (!json || typeof json !== "object") return undefined;
  const e = (json as Record<string, unknown>).error;
  if (!e || typeof e !== "object") return undefined;
  const { kind, code, message } = e as Record<string, unknown>;
  return {
    kind: String(kind ?? "unknown"),
    code: String(code ?? "Unknown"),
    message: String(message ?? ""),
  };
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) {
    throw new HostResultError(`${field}: expected an object`);
  }
  return v as Record<string, unknown>;
}
function oneOf<const T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== "string" || !allowed.includes(v as T)) {
    throw new HostResultError(
      `${field}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v as T;
}
function hex(v: unknown, field: string): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v)) {
    throw new HostResultError(`${field}: expected 0x-hex, got ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v as Hex;
}
function num(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new HostResultError(`${field}: expected a number, got ${JSON.stringify(v)}`);
  }
  return v;
}
function numOrNull(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}
function numbers(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) if (typeof x === "number") out[k] = x;
  }
  return out;
}
