/**
 * The proof sender's health as /status (`health.l1`) and /metrics show it: whether its last
 * round reached L1 and the last error, the verifyBatches that reverted, the batch it refuses to
 * send a proof of (verification halted there), and the last batches it verified.
 */
import type { Hex } from "viem";
import type { Logger } from "../log/logger.ts";
import { UpstreamHealth } from "../metrics/health.ts";

/** Where the sender's health is counted (the server's metric set has these). */
export interface SettlementMetrics {
  readonly l1Up: { set(v: number): void };
  readonly l1Errors: { inc(): void };
  readonly l1Reverts: { inc(): void };
  readonly settlementHalted: { set(v: number): void };
}

/** A batch the sender will not send a proof of, and why. */
export interface SettlementHalt {
  readonly batch: number;
  readonly reason: string;
  readonly since: string;
}

/** The proof sender's health (see the module comment). */
export class SettlementHealth {
  /** L1 reachability over the sender's rounds. */
  readonly l1: UpstreamHealth;
  reverts = 0;
  lastRevert: { readonly label: string; readonly reason: string; readonly at: string } | null =
    null;
  halted: SettlementHalt | null = null;
  lastVerified:
    | { readonly firstBatch: number; readonly lastBatch: number; readonly tx: Hex }
    | null = null;

  constructor(
    log: Logger,
    private readonly metrics?: SettlementMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.l1 = new UpstreamHealth({
      what: "L1",
      hint: "ETH_RPC_URL (the L1 node); the proofs wait in the store",
      up: metrics?.l1Up,
      errors: metrics?.l1Errors,
      log,
      now,
    });
    metrics?.settlementHalted.set(0);
  }

  /** A verifyBatches reverted (or was refused at the gas estimate) with `reason`. */
  reverted(label: string, reason: string): void {
    this.reverts++;
    this.lastRevert = { label, reason, at: this.iso() };
    this.metrics?.l1Reverts.inc();
  }

  /** The sender will not send batch `batch`'s proof: verification on L1 is halted there. */
  halt(batch: number, reason: string): void {
    if (this.halted?.batch !== batch) this.halted = { batch, reason, since: this.iso() };
    this.metrics?.settlementHalted.set(batch);
  }

  /** Batch `batch` is no longer held back (a proof of it passed, or L1 verified past it). */
  resume(batch: number): void {
    if (this.halted && this.halted.batch <= batch) {
      this.halted = null;
      this.metrics?.settlementHalted.set(0);
    }
  }

  /** Batches `firstBatch..lastBatch` were verified on L1 by `tx`. */
  verified(firstBatch: number, lastBatch: number, tx: Hex): void {
    this.lastVerified = { firstBatch, lastBatch, tx };
    this.resume(lastBatch);
  }

  /** The /status view (`health.l1`). */
  json(): Record<string, unknown> {
    return {
      ...this.l1.json(),
      reverts: this.reverts,
      last_revert: this.lastRevert,
      halted: this.halted,
      last_verified: this.lastVerified,
    };
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
