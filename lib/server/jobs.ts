/**
 * The job board: which batch a client gets next. Inputs are built ahead of demand (a bounded
 * number of batches ahead) so answering a Request is a synchronous lookup that never waits on the
 * L2's RPC. Batches are handed out lowest first; an expired lease makes its batch available again.
 */
import type { Logger } from "../log/logger.ts";
import type { LeaseJournal } from "../store/lease_journal.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { BatchFacts } from "./facts.ts";
import type { Lease, LeaseTable } from "./leases.ts";
import type { ServerMetrics } from "./metrics.ts";
import type { Batch, BatchSource } from "./source.ts";

/** A batch ready to hand out: its input already serialised, and the facts to check a proof by. */
export interface PreparedJob {
  readonly batch: Batch;
  readonly facts: BatchFacts;
  /** The prover input (version 2), serialised once. */
  readonly inputJson: string;
  readonly buildMs: number;
}

/** Builds a batch's job (input + facts) from the L2 node. */
export type JobBuilder = (batch: Batch, signal: AbortSignal) => Promise<PreparedJob>;
/** Reads a batch's facts alone (for a late Submit of a batch whose input is no longer held). */
export type FactsFetcher = (batch: Batch) => Promise<BatchFacts>;

/** Knobs of the job board. */
export interface JobBoardOptions {
  /** Inputs kept built and waiting for a client. */
  readonly prefetch: number;
  /** How often the block source is polled for new blocks. */
  readonly pollMs: number;
}

/** Decides what to hand out and keeps inputs ready. */
export class JobBoard {
  private readonly prepared = new Map<number, PreparedJob>();
  private readonly facts = new Map<number, BatchFacts>();
  private readonly countedExpiries = new Set<string>();
  /** The batches the source last reported, by number. */
  private readonly known = new Map<number, Batch>();
  private pendingCount = 0;
  private wake: (() => void) | null = null;
  private sourceFailures = 0;
  /** Batches whose input failed to build: retried with backoff while later ones go ahead. */
  private readonly buildFailures = new Map<number, { count: number; retryAt: number }>();

  constructor(
    private readonly deps: {
      readonly source: BatchSource;
      readonly build: JobBuilder;
      readonly fetchFacts: FactsFetcher;
      readonly store: ProofStore;
      readonly leases: LeaseTable;
      readonly journal?: LeaseJournal;
      readonly metrics: ServerMetrics;
      readonly log: Logger;
    },
    private readonly opts: JobBoardOptions,
  ) {}

  /** Hands the lowest available prepared batch to `holder`, or null when none is ready. */
  take(holder: string): PreparedJob | null {
    const { leases, store, metrics, log } = this.deps;
    let best: PreparedJob | null = null;
    for (const job of this.prepared.values()) {
      const n = job.batch.number;
      if (store.has(n) || leases.isLive(n)) continue;
      if (best === null || n < best.batch.number) best = job;
    }
    if (best === null) return null;
    const n = best.batch.number;
    this.noteExpiry(n);
    const lease = leases.grant(n, holder);
    const journal = this.deps.journal;
    journal?.record(lease).catch((e) =>
      log.warn(`cannot record lease of batch ${n}: ${(e as Error).message}`)
    );
    // Keep the journal about as long as the live lease set, not the server's whole history.
    if (journal && journal.lines > 1024 + 4 * leases.all().length) {
      journal.compact(() => leases.all()).catch((e) =>
        log.warn(`cannot compact the lease journal: ${(e as Error).message}`)
      );
    }
    metrics.handedOut.inc();
    this.updateGauges();
    this.poke();
    return best;
  }

  /** The batch numbered `n` as the source reported it, if it did. */
  batchOf(n: number): Batch | undefined {
    return this.prepared.get(n)?.batch ?? this.known.get(n);
  }

  /** The facts of batch `n`: held in memory, else read from the L2 node (and cached). */
  async factsOf(n: number): Promise<BatchFacts> {
    const known = this.prepared.get(n)?.facts ?? this.facts.get(n);
    if (known) return known;
    const batch = this.batchOf(n);
    if (!batch) throw new Error(`batch ${n} is not among the batches to prove`);
    const f = await this.deps.fetchFacts(batch);
    this.facts.set(n, f);
    return f;
  }

  /** Forgets a batch whose proof is now stored. */
  complete(n: number): void {
    this.prepared.delete(n);
    this.facts.delete(n);
    this.deps.leases.release(n);
    this.updateGauges();
    this.poke();
  }

  /** Counts and logs leases that expired (once each); returns how many were new. */
  sweepExpired(): number {
    let n = 0;
    for (const lease of this.deps.leases.all()) {
      if (!this.deps.leases.isLive(lease.batch) && !this.deps.store.has(lease.batch)) {
        if (this.noteExpiry(lease.batch)) n++;
      }
    }
    return n;
  }

  /** What /status shows. */
  status(): Record<string, unknown> {
    return {
      source: this.deps.source.description,
      pending_batches: this.pendingCount,
      prepared: [...this.prepared.keys()].sort((a, b) => a - b),
      build_failures: Object.fromEntries(
        [...this.buildFailures].map(([b, f]) => [b, { attempts: f.count }]),
      ),
      leases: this.deps.leases.all().map((l) => ({
        batch: l.batch,
        holder: l.holder,
        live: this.deps.leases.isLive(l.batch),
        expires_at: new Date(l.expiresAt).toISOString(),
      })),
    };
  }

  /** Keeps inputs prepared until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.sweepExpired();
      let built = false;
      try {
        built = await this.fillOnce(signal);
        this.sourceFailures = 0;
      } catch (e) {
        if (signal.aborted) break;
        this.sourceFailures++;
        this.deps.log.warn(
          `cannot ask ${this.deps.source.description} for batches (attempt ${this.sourceFailures}): ` +
            `${(e as Error).message}; check that --l2-rpc is reachable`,
        );
      }
      if (built) continue;
      const wait = Math.min(this.opts.pollMs * 2 ** Math.min(this.sourceFailures, 5), 30_000);
      await this.sleep(wait, signal);
    }
  }

  /** One pass: tries to build at most one missing input; true when it tried (built or failed). */
  async fillOnce(signal: AbortSignal): Promise<boolean> {
    const { store, leases, source } = this.deps;
    const batches = await source.pending();
    this.known.clear();
    for (const b of batches) this.known.set(b.number, b);
    this.pendingCount = batches.filter((b) => !store.has(b.number)).length;
    // Inputs of batches the source no longer wants (proved elsewhere, verified on L1) are dropped.
    for (const n of this.prepared.keys()) if (!this.known.has(n)) this.prepared.delete(n);
    let waiting = 0;
    for (const job of this.prepared.values()) if (!leases.isLive(job.batch.number)) waiting++;
    if (waiting >= this.opts.prefetch) return false;
    const now = Date.now();
    for (const batch of batches) {
      if (signal.aborted) break;
      const n = batch.number;
      if (store.has(n) || this.prepared.has(n) || leases.isLive(n)) continue;
      const failed = this.buildFailures.get(n);
      if (failed && failed.retryAt > now) continue;
      let job: PreparedJob;
      try {
        job = await this.deps.build(batch, signal);
      } catch (e) {
        if (signal.aborted) return false;
        const count = (failed?.count ?? 0) + 1;
        const delay = Math.min(this.opts.pollMs * 2 ** Math.min(count, 8), 5 * 60_000);
        this.buildFailures.set(n, { count, retryAt: Date.now() + delay });
        this.deps.metrics.inputBuildFailures.inc();
        this.deps.log.warn(
          `cannot build the input of batch ${n} (blocks ${batch.firstBlock}..${batch.lastBlock}, ` +
            `attempt ${count}; retrying in ${
              Math.round(delay / 1000)
            } s, later batches go ahead): ${(e as Error).message}`,
        );
        return true;
      }
      this.buildFailures.delete(n);
      if (store.has(n)) return true;
      this.prepared.set(n, job);
      this.deps.metrics.inputBuildMs.observe(job.buildMs);
      this.deps.log.debug(`input of batch ${n} ready`, {
        blocks: `${batch.firstBlock}..${batch.lastBlock}`,
        buildMs: Math.round(job.buildMs),
        bytes: job.inputJson.length,
      });
      this.updateGauges();
      return true;
    }
    return false;
  }

  private noteExpiry(n: number): boolean {
    const lease: Lease | undefined = this.deps.leases.get(n);
    if (!lease || this.deps.leases.isLive(n)) return false;
    const key = `${n}@${lease.grantedAt}`;
    if (this.countedExpiries.has(key)) return false;
    this.countedExpiries.add(key);
    this.deps.metrics.leaseExpiries.inc();
    this.deps.log.warn(
      `lease of batch ${n} held by ${lease.holder} expired without a proof; handing it out again`,
    );
    return true;
  }

  private updateGauges(): void {
    const { metrics, leases } = this.deps;
    let waiting = 0;
    for (const job of this.prepared.values()) if (!leases.isLive(job.batch.number)) waiting++;
    metrics.preparedInputs.set(waiting);
    metrics.liveLeases.set(leases.liveCount());
  }

  private poke(): void {
    this.wake?.();
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.wake = done;
    });
  }
}
