/**
 * Job leases: a batch handed to a client is not handed to another until its lease expires.
 * Time comes from an injectable clock so tests can move it.
 */

import type { Hex } from "../protocol/proof.ts";

/** Milliseconds since the epoch; `Date.now` in production. */
import type { Clock } from "../time/mod.ts";
export type { Clock };

export type { Lease } from "../store/lease_journal.ts";
import type { Lease } from "../store/lease_journal.ts";

/** The live and expired leases of the server. */
export class LeaseTable {
  private readonly leases = new Map<number, Lease>();

  constructor(readonly durationMs: number, private readonly clock: Clock = Date.now) {}

  /** Grants (or renews) the lease of `batch` to `holder`. */
  grant(batch: number, holder: string, hash?: Hex): Lease {
    const now = this.clock();
    const lease: Lease = { batch, holder, grantedAt: now, expiresAt: now + this.durationMs, hash };
    this.leases.set(batch, lease);
    return lease;
  }

  /** Puts back a lease read from disk after a restart (keeps its original expiry). */
  restore(lease: Lease): void {
    this.leases.set(lease.batch, lease);
  }

  /** The lease of `batch`, live or expired. */
  get(batch: number): Lease | undefined {
    return this.leases.get(batch);
  }

  /** True while `batch` is leased and the lease has not expired. */
  isLive(batch: number): boolean {
    const l = this.leases.get(batch);
    return l !== undefined && this.clock() < l.expiresAt;
  }

  /** True when `batch` was handed out at some time (the lease may have expired). */
  wasHandedOut(batch: number): boolean {
    return this.leases.has(batch);
  }

  /** Forgets the lease of `batch` (its proof is stored). */
  release(batch: number): void {
    this.leases.delete(batch);
  }

  /** Number of live leases. */
  liveCount(): number {
    const now = this.clock();
    let n = 0;
    for (const l of this.leases.values()) if (now < l.expiresAt) n++;
    return n;
  }

  /** Every lease, live or not. */
  all(): Lease[] {
    return [...this.leases.values()];
  }
}
