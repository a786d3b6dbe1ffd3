/**
 * The job board: which block a client gets next. Inputs are built ahead of demand (a bounded
 * number of blocks ahead) so answering a Request is a synchronous lookup that never waits on the
 * L2's RPC. Blocks are handed out lowest first; an expired lease makes its block available again.
 */
import type { Logger } from "../log/logger.ts";
import type { LeaseJournal } from "../store/lease_journal.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { BlockFacts } from "./facts.ts";
import type { Lease, LeaseTable } from "./leases.ts";
import type { ServerMetrics } from "./metrics.ts";
import type { BlockRange, BlockSource } from "./source.ts";

/** A block ready to hand out: its input already serialised, and the facts to check a proof by. */
export interface PreparedJob {
  readonly block: number;
  readonly facts: BlockFacts;
  /** The version-1 prover input, serialised once. */
  readonly inputJson: string;
  readonly buildMs: number;
}

/** Builds a block's job (input + facts) from the L2 node. */
export type JobBuilder = (block: number, signal: AbortSignal) => Promise<PreparedJob>;
/** Reads a block's facts alone (for a late Submit of a block whose input is no longer held). */
export type FactsFetcher = (block: number) => Promise<BlockFacts>;

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
  private readonly facts = new Map<number, BlockFacts>();
  private readonly countedExpiries = new Set<string>();
  /** Blocks below it (within the source's range) are all stored. */
  private low = 0;
  private range: BlockRange | null = null;
  private wake: (() => void) | null = null;
  private sourceFailures = 0;
  /** Blocks whose input failed to build: retried with backoff while later blocks go ahead. */
  private readonly buildFailures = new Map<number, { count: number; retryAt: number }>();

  constructor(
    private readonly deps: {
      readonly source: BlockSource;
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

  /** Hands the lowest available prepared block to `holder`, or null when none is ready. */
  take(holder: string): PreparedJob | null {
    const { leases, store, metrics, log } = this.deps;
    let best: PreparedJob | null = null;
    for (const job of this.prepared.values()) {
      if (store.has(job.block) || leases.isLive(job.block)) continue;
      if (best === null || job.block < best.block) best = job;
    }
    if (best === null) return null;
    this.noteExpiry(best.block);
    const lease = leases.grant(best.block, holder);
    const journal = this.deps.journal;
    journal?.record(lease).catch((e) =>
      log.warn(`cannot record lease of block ${best.block}: ${(e as Error).message}`)
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

  /** The facts of `block`: held in memory, else read from the L2 node (and cached). */
  async factsOf(block: number): Promise<BlockFacts> {
    const known = this.prepared.get(block)?.facts ?? this.facts.get(block);
    if (known) return known;
    const f = await this.deps.fetchFacts(block);
    this.facts.set(block, f);
    return f;
  }

  /** Forgets a block whose proof is now stored. */
  complete(block: number): void {
    this.prepared.delete(block);
    this.facts.delete(block);
    this.deps.leases.release(block);
    this.updateGauges();
    this.poke();
  }

  /** Counts and logs leases that expired (once each); returns how many were new. */
  sweepExpired(): number {
    let n = 0;
    for (const lease of this.deps.leases.all()) {
      if (!this.deps.leases.isLive(lease.block) && !this.deps.store.has(lease.block)) {
        if (this.noteExpiry(lease.block)) n++;
      }
    }
    return n;
  }

  /** What /status shows. */
  status(): Record<string, unknown> {
    return {
      source: this.deps.source.description,
      range: this.range,
      prepared: [...this.prepared.keys()].sort((a, b) => a - b),
      build_failures: Object.fromEntries(
        [...this.buildFailures].map(([b, f]) => [b, { attempts: f.count }]),
      ),
      leases: this.deps.leases.all().map((l) => ({
        block: l.block,
        holder: l.holder,
        live: this.deps.leases.isLive(l.block),
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
          `cannot ask ${this.deps.source.description} for blocks (attempt ${this.sourceFailures}): ` +
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
    const range = await source.pending();
    this.range = range;
    if (range === null) return false;
    if (this.low < range.first) this.low = range.first;
    while (this.low <= range.last && store.has(this.low)) this.low++;
    // Inputs of blocks the source no longer wants (proved elsewhere, verified on L1) are dropped.
    for (const b of this.prepared.keys()) if (b < range.first) this.prepared.delete(b);
    let waiting = 0;
    for (const job of this.prepared.values()) if (!leases.isLive(job.block)) waiting++;
    if (waiting >= this.opts.prefetch) return false;
    const now = Date.now();
    for (let b = this.low; b <= range.last && !signal.aborted; b++) {
      if (store.has(b) || this.prepared.has(b) || leases.isLive(b)) continue;
      const failed = this.buildFailures.get(b);
      if (failed && failed.retryAt > now) continue;
      let job: PreparedJob;
      try {
        job = await this.deps.build(b, signal);
      } catch (e) {
        if (signal.aborted) return false;
        const count = (failed?.count ?? 0) + 1;
        const delay = Math.min(this.opts.pollMs * 2 ** Math.min(count, 8), 5 * 60_000);
        this.buildFailures.set(b, { count, retryAt: Date.now() + delay });
        this.deps.metrics.inputBuildFailures.inc();
        this.deps.log.warn(
          `cannot build the input of block ${b} (attempt ${count}; retrying in ${
            Math.round(delay / 1000)
          } s, later blocks go ahead): ${(e as Error).message}`,
        );
        return true;
      }
      this.buildFailures.delete(b);
      if (store.has(b)) return true;
      this.prepared.set(b, job);
      this.deps.metrics.inputBuildMs.observe(job.buildMs);
      this.deps.log.debug(`input of block ${b} ready`, {
        buildMs: Math.round(job.buildMs),
        bytes: job.inputJson.length,
      });
      this.updateGauges();
      return true;
    }
    return false;
  }

  private noteExpiry(block: number): boolean {
    const lease: Lease | undefined = this.deps.leases.get(block);
    if (!lease || this.deps.leases.isLive(block)) return false;
    const key = `${block}@${lease.grantedAt}`;
    if (this.countedExpiries.has(key)) return false;
    this.countedExpiries.add(key);
    this.deps.metrics.leaseExpiries.inc();
    this.deps.log.warn(
      `lease of block ${block} held by ${lease.holder} expired without a proof; handing it out again`,
    );
    return true;
  }

  private updateGauges(): void {
    const { metrics, leases } = this.deps;
    let waiting = 0;
    for (const job of this.prepared.values()) if (!leases.isLive(job.block)) waiting++;
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
