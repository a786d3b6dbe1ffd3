/**
 * The `proof` object of a Submit: what the zkVM host produced, as the server needs it to check
 * and store the proof. Field names are snake_case like the rest of the wire format.
 */
import { ProtocolError } from "./errors.ts";

/** Backends of the zkVM host (docs/zkvm-host.md). */
export const PROOF_BACKENDS = ["exec", "risc0"] as const;
/** `exec` (native execution, a mock seal only) or `risc0` (a receipt). */
export type ProofBackend = typeof PROOF_BACKENDS[number];

/** Hex string with 0x prefix. */
export type Hex = `0x${string}`;

/** A proof as carried by Submit. */
export interface ProofPayload {
  readonly backend: ProofBackend;
  /** `exec`, `dev` (risc0 dev mode) or the receipt kind: `composite`, `succinct`, `groth16`. */
  readonly mode: string;
  /** Guest image id; null for exec. */
  readonly imageId: Hex | null;
  /** ABI-encoded journal (DESIGN §3). */
  readonly journal: Hex;
  /** Seal for the L1 verifier; `0x` for exec. */
  readonly seal: Hex;
  /** The full receipt where one exists (risc0), as the host wrote it; null otherwise. */
  readonly receipt: unknown;
  /** Total zkVM cycles, when known. */
  readonly cycles: number | null;
  /** Segments proved (0 for exec). */
  readonly segments: number;
  /** Wall time the client spent proving, as it reports it (ms). */
  readonly provingMs: number;
}

/** Serialises a proof payload to its wire object. */
export function encodeProofPayload(p: ProofPayload): Record<string, unknown> {
  return {
    backend: p.backend,
    mode: p.mode,
    image_id: p.imageId,
    journal: p.journal,
    seal: p.seal,
    receipt: p.receipt ?? null,
    cycles: p.cycles,
    segments: p.segments,
    proving_ms: p.provingMs,
  };
}

/** Decodes the wire `proof` object; throws ProtocolError naming the bad field. */
export function decodeProofPayload(v: unknown): ProofPayload {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw bad("proof must be an object");
  }
  const o = v as Record<string, unknown>;
  if (!(PROOF_BACKENDS as readonly unknown[]).includes(o.backend)) {
    throw bad(`proof.backend must be one of ${PROOF_BACKENDS.join(", ")}`);
  }
  if (typeof o.mode !== "string" || o.mode === "") throw bad("proof.mode must be a string");
  const imageId = o.image_id === null || o.image_id === undefined
    ? null
    : hex(o.image_id, "proof.image_id");
  const cycles = o.cycles === null || o.cycles === undefined ? null : count(o.cycles, "cycles");
  const provingMs = o.proving_ms;
  if (typeof provingMs !== "number" || !Number.isFinite(provingMs) || provingMs < 0) {
    throw bad("proof.proving_ms must be a non-negative number");
  }
  return {
    backend: o.backend as ProofBackend,
    mode: o.mode,
    imageId,
    journal: hex(o.journal, "proof.journal"),
    seal: hex(o.seal, "proof.seal"),
    receipt: o.receipt ?? null,
    cycles,
    segments: o.segments === undefined ? 0 : count(o.segments, "segments"),
    provingMs,
  };
}

function hex(v: unknown, field: string): Hex {
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    throw bad(`${field} must be 0x-prefixed hex of whole bytes`);
  }
  return v.toLowerCase() as Hex;
}

function count(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw bad(`proof.${field} must be a non-negative integer`);
  }
  return v;
}

function bad(message: string): ProtocolError {
  return new ProtocolError("malformed_message", message);
}
