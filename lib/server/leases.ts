/**
 * Job leases: a block handed to a client is not handed to another until its lease expires.
 * Time comes from an injectable clock so tests can move it.
 */

/** Milliseconds since the epoch; `Date.now` in production. */
export type Clock = () => number;

/** One client's claim on a block. */
export interface Lease {
  readonly block: number;
  /** Who holds it (peer address), for logs. */
  readonly holder: string;
  readonly grantedAt: number;
  readonly expiresAt: number;
}

/** The live and expired leases of the server. */
export class LeaseTable {
  private readonly leases = new Map<number, Lease>();

  constructor(readonly durationMs: number, private readonly clock: Clock = Date.now) {}

  /** Grants (or renews) the lease of `block` to `holder`. */
  grant(block: number, holder: string): Lease {
    const now = this.clock();
    const lease = { block, holder, grantedAt: now, expiresAt: now + this.durationMs };
    this.leases.set(block, lease);
    return lease;
  }

  /** Puts back a lease read from disk after a restart (keeps its original expiry). */
  restore(lease: Lease): void {
    this.leases.set(lease.block, lease);
  }

  /** The lease of `block`, live or expired. */
  get(block: number): Lease | undefined {
    return this.leases.get(block);
  }

  /** True while `block` is leased and the lease has not expired. */
  isLive(block: number): boolean {
    const l = this.leases.get(block);
    return l !== undefined && this.clock() < l.expiresAt;
  }

  /** True when `block` was handed out at some time (the lease may have expired). */
  wasHandedOut(block: number): boolean {
    return this.leases.has(block);
  }

  /** Forgets the lease of `block` (its proof is stored). */
  release(block: number): void {
    this.leases.delete(block);
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
