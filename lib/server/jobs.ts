/**
 * The job board: which batch a client gets next. Inputs are built ahead of demand (a bounded
 * number of batches ahead) so answering a Request never waits on the L2's RPC (only on the
 * lease journal's fsync). Batches are handed out lowest first; an expired lease makes its batch
 * available again. Every input, lease and stored proof is bound to its block hashes: the board
 * checks them against the L2's chain and sets aside what a reorg replaced. A batch that enough
 * clients independently fail to prove (the host rejects it) is set aside as unprovable. With
 * settlement, a committed batch whose last block on the L2 is not the block committed on L1 is
 * never built, handed out or kept proved: verification halts there, visibly, until they agree.
 */
import type { Logger } from "../log/logger.ts";
import { UpstreamHealth } from "../metrics/health.ts";
import type { FailureKind } from "../protocol/messages.ts";
import type { Hex } from "../protocol/proof.ts";
import type { LeaseJournal } from "../store/lease_journal.ts";
import type { ProofStore } from "../store/proof_store.ts";
import type { UnprovableBatch, UnprovableSet } from "../store/unprovable.ts";
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

/** The L2's canonical hash of block `n`, null when it has no such block (reorg checks). */
export type BlockHashFn = (n: number) => Promise<Hex | null>;

/** Knobs of the job board. */
export interface JobBoardOptions {
  /** Inputs kept built and waiting for a client. */
  readonly prefetch: number;
  /** How often the block source is polled for new blocks. */
  readonly pollMs: number;
  /** Independent failure reports after which a batch is unprovable (default 3). */
  readonly unprovableAfter?: number;
}

/** A committed batch whose last block on the L2 is not the block committed on L1. */
export interface CommitMismatch {
  readonly batch: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  /** The last block's hash committed on L1. */
  readonly committedHash: Hex;
  /** The L2 node's hash of that block; null when it has no such block. */
  readonly l2Hash: Hex | null;
  readonly since: string;
}

/** The last reorg the board handled. */
export interface ReorgRecord {
  readonly at: string;
  /** Lowest block found replaced. */
  readonly fromBlock: number;
  readonly batches: readonly number[];
  readonly storedProofs: number;
}

/** One item bound to block hashes, as the reorg check sees it. */
interface Bound {
  readonly batch: number;
  readonly parent?: readonly [number, Hex];
  readonly last: readonly [number, Hex];
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
  /** Failure reports per batch, keyed by the lease they came under (one count per hand-out). */
  private readonly proveFailures = new Map<number, Set<string>>();
  private readonly sourceHealth: UpstreamHealth;
  private readonly l2Health: UpstreamHealth;
  /** Committed batches the L2 disagrees with L1 about, by number. */
  private readonly mismatched = new Map<number, CommitMismatch>();
  private committedSource = false;
  private reorgs = 0;
  private lastReorg: ReorgRecord | null = null;

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
      /** Unprovable batches (none are set aside without it). */
      readonly unprovable?: UnprovableSet;
      /** The L2's canonical hashes (no reorg checks without it). */
      readonly blockHash?: BlockHashFn;
      /** Writes to the data dir (lease records here, proofs at the desk). */
      readonly storeHealth?: UpstreamHealth;
    },
    private readonly opts: JobBoardOptions,
  ) {
    deps.metrics.unprovable.set(deps.unprovable?.size ?? 0);
    this.sourceHealth = new UpstreamHealth({
      what: deps.source.description,
      hint: "--l2-rpc (or the L1 RPC with settlement)",
      up: deps.metrics.sourceUp,
      log: deps.log,
    });
    this.l2Health = new UpstreamHealth({
      what: "the L2 node",
      hint: "--l2-rpc",
      up: deps.metrics.l2Up,
      log: deps.log,
    });
  }

  /**
   * Hands the lowest available prepared batch to `holder`, or null when none is ready. The lease
   * is in the journal (fsynced) before the batch goes out; if it cannot be written, nothing goes.
   */
  async take(holder: string): Promise<PreparedJob | null> {
    const { leases, store, metrics, log } = this.deps;
    let best: PreparedJob | null = null;
    for (const job of this.prepared.values()) {
      const n = job.batch.number;
      if (store.has(n) || leases.isLive(n) || this.deps.unprovable?.has(n)) continue;
      if (this.mismatched.has(n)) continue;
      if (best === null || n < best.batch.number) best = job;
    }
    if (best === null) return null;
    const n = best.batch.number;
    this.noteExpiry(n);
    // Granted in memory at once, so a concurrent Request does not pick the same batch.
    const lease = leases.grant(n, holder, best.facts.lastBlockHash);
    const journal = this.deps.journal;
    if (journal) {
      try {
        await journal.record(lease);
        this.deps.storeHealth?.ok();
      } catch (e) {
        if (leases.get(n) === lease) leases.release(n);
        this.deps.storeHealth?.failed(e);
        log.error(
          `cannot record the lease of batch ${n}, not handing it out: ${(e as Error).message} ` +
            "(check the data dir: disk full or read-only?)",
        );
        return null;
      }
    }
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
    const m = this.mismatched.get(n);
    if (m) throw new Error(mismatchText(m));
    const f = await this.deps.fetchFacts(batch);
    this.facts.set(n, f);
    return f;
  }

  /** Forgets a batch whose proof is now stored. */
  complete(n: number): void {
    this.prepared.delete(n);
    this.facts.delete(n);
    this.proveFailures.delete(n);
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
      prove_failures: Object.fromEntries(
        [...this.proveFailures].map(([b, f]) => [b, { reports: f.size }]),
      ),
      unprovable: this.deps.unprovable?.all() ?? [],
      reorgs_seen: this.reorgs,
      last_reorg: this.lastReorg,
      health: {
        source: { description: this.deps.source.description, ...this.sourceHealth.json() },
        l2: this.deps.blockHash ? this.l2Health.json() : { up: null, checked: false },
        l1_commitment: this.committedSource
          ? {
            checked: true,
            mismatched: [...this.mismatched.values()].sort((a, b) => a.batch - b.batch),
            verification_halted_at: this.mismatched.size
              ? Math.min(...this.mismatched.keys())
              : null,
          }
          : { checked: false },
      },
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
      let l2Failed = false;
      if (this.deps.blockHash) {
        try {
          await this.checkCanonical();
          this.l2Health.ok();
        } catch (e) {
          if (signal.aborted) break;
          l2Failed = true;
          this.l2Health.failed(e);
        }
      }
      try {
        if (!l2Failed) {
          built = await this.fillOnce(signal);
          this.sourceFailures = 0;
          this.sourceHealth.ok();
        }
      } catch (e) {
        if (signal.aborted) break;
        this.sourceFailures++;
        this.sourceHealth.failed(e);
      }
      if (l2Failed) this.sourceFailures = Math.max(this.sourceFailures, this.l2Health.failures);
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
    await this.checkCommitted();
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
      if (this.deps.unprovable?.has(n) || this.mismatched.has(n)) continue;
      // Asked before the (costly) build: a batch the L2 disagrees with L1 about is not built.
      if (batch.lastBlockHash && this.deps.blockHash) {
        const l2 = await this.deps.blockHash(batch.lastBlock);
        if (!sameHash(l2, batch.lastBlockHash)) {
          await this.noteMismatch(batch, l2);
          return true;
        }
      }
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
      if (batch.lastBlockHash && !sameHash(job.facts.lastBlockHash, batch.lastBlockHash)) {
        await this.noteMismatch(batch, job.facts.lastBlockHash);
        return true;
      }
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

  /**
   * Takes a client's report that batch `n` cannot be proved. One report counts per hand-out
   * (lease) of the batch; the lease is released so another client tries at once. After
   * `unprovableAfter` reports the batch is set aside: no longer handed out, on /status and in
   * the metrics, with an error log line saying what to do. Returns whether it is unprovable now.
   */
  async reportFailure(
    n: number,
    peer: string,
    report: { readonly failure: FailureKind; readonly code: string; readonly message: string },
  ): Promise<
    { readonly ok: true; readonly unprovable: boolean } | {
      readonly ok: false;
      readonly message: string;
    }
  > {
    const { leases, log, unprovable, store, metrics } = this.deps;
    if (unprovable?.has(n)) return { ok: true, unprovable: true };
    if (store.has(n)) return { ok: true, unprovable: false };
    const lease = leases.get(n);
    if (!lease) {
      return { ok: false, message: `batch ${n} is not handed out by this server now` };
    }
    const seen = this.proveFailures.get(n) ?? new Set<string>();
    seen.add(`${lease.grantedAt}:${lease.holder}`);
    this.proveFailures.set(n, seen);
    leases.release(n);
    this.updateGauges();
    const job = this.prepared.get(n);
    const batch = job?.batch ?? this.known.get(n);
    const limit = this.opts.unprovableAfter ?? 3;
    log.warn(
      `client ${peer} cannot prove batch ${n}: ${report.failure} ${report.code}: ${report.message} ` +
        `(report ${seen.size} of ${limit} before it is set aside)`,
    );
    if (seen.size < limit || !unprovable) {
      this.poke();
      return { ok: true, unprovable: false };
    }
    const entry: UnprovableBatch = {
      batch: n,
      firstBlock: batch?.firstBlock ?? n,
      lastBlock: batch?.lastBlock ?? n,
      hash: job?.facts.lastBlockHash ?? lease.hash,
      failure: report.failure,
      code: report.code,
      message: report.message,
      failures: seen.size,
      since: new Date().toISOString(),
    };
    await unprovable.add(entry);
    this.prepared.delete(n);
    this.proveFailures.delete(n);
    metrics.unprovable.set(unprovable.size);
    this.updateGauges();
    log.error(
      `batch ${n} (blocks ${entry.firstBlock}..${entry.lastBlock}) is UNPROVABLE: ${seen.size} ` +
        `independent runs of the host rejected it (${report.failure} ${report.code}: ` +
        `${report.message}); it is no longer handed out and no later batch can be settled past ` +
        `it. Check the L2 node's block and the executor's version; once fixed, remove batch ${n} ` +
        `from ${unprovable.path} and restart the server to prove it again`,
    );
    return { ok: true, unprovable: true };
  }

  /**
   * True when the batch `facts` describe is still on the L2's canonical chain (its last block
   * hash is the node's); undefined when no reorg checks are configured.
   */
  async isCanonical(facts: BatchFacts): Promise<boolean | undefined> {
    if (!this.deps.blockHash) return undefined;
    const h = await this.deps.blockHash(facts.lastBlock);
    const ok = h !== null && h.toLowerCase() === facts.lastBlockHash.toLowerCase();
    if (!ok) this.poke();
    return ok;
  }

  /**
   * True when the stored proof of batch `n` is of the L2's canonical blocks (always true without
   * reorg checks); a false answer wakes the board, which sets the proof aside.
   */
  async isStoredCanonical(n: number): Promise<boolean> {
    const h = this.deps.store.hashesOf(n);
    if (!h) return false;
    if (!this.deps.blockHash) return true;
    const ok = (await this.deps.blockHash(h.lastBlock))?.toLowerCase() === h.lastBlockHash;
    if (!ok) this.poke();
    return ok;
  }

  /**
   * Compares every input, lease and stored proof the board holds with the L2's chain: one call
   * when the highest one is canonical and their hashes agree with each other (parent hash of a
   * batch = last hash of the one before); else each is checked, highest first, and whatever a
   * reorg replaced is set aside (stored proofs moved to `discarded/`), so its batch is proved
   * again from the new blocks. Returns the batches set aside.
   */
  async checkCanonical(): Promise<number[]> {
    const hashOf = this.deps.blockHash;
    if (!hashOf) return [];
    const items = this.boundItems();
    if (items.length === 0) return [];
    const byNumber = new Map<number, Set<Hex>>();
    const note = (num: number, h: Hex) => {
      const set = byNumber.get(num) ?? new Set<Hex>();
      set.add(h.toLowerCase() as Hex);
      byNumber.set(num, set);
    };
    for (const it of items) {
      note(...it.last);
      if (it.parent) note(...it.parent);
    }
    const conflicts = [...byNumber].filter(([, set]) => set.size > 1).map(([num]) => num);
    items.sort((a, b) => b.last[0] - a.last[0]);
    const canonical = new Map<number, Hex | null>();
    const hashAt = async (num: number) => {
      if (!canonical.has(num)) canonical.set(num, (await hashOf(num))?.toLowerCase() as Hex);
      return canonical.get(num) ?? null;
    };
    const holds = async ([num, h]: readonly [number, Hex]) =>
      (await hashAt(num)) === h.toLowerCase();
    if (conflicts.length === 0 && await holds(items[0].last)) return [];
    const lowestConflict = conflicts.length ? Math.min(...conflicts) : Infinity;
    const stale = new Set<number>();
    let lowest = Infinity;
    for (const it of items) {
      const ok = (await holds(it.last)) && (!it.parent || await holds(it.parent));
      if (!ok) {
        stale.add(it.batch);
        // The lowest block known replaced: the parent, else the batch's first block.
        const parentGone = it.parent !== undefined && !(await holds(it.parent));
        lowest = Math.min(lowest, it.parent ? it.parent[0] + (parentGone ? 0 : 1) : it.last[0]);
      } else if (it.last[0] < lowestConflict && it.last[0] < lowest) {
        // Hashes chain: below a canonical block whose hashes agree with the rest, all is canonical.
        break;
      }
    }
    if (stale.size === 0) return [];
    await this.setAside([...stale].sort((a, b) => a - b), lowest);
    return [...stale];
  }

  private boundItems(): Bound[] {
    const out: Bound[] = [];
    const ofFacts = (f: BatchFacts, batch: number): Bound => ({
      batch,
      parent: [f.firstBlock - 1, f.parentHash],
      last: [f.lastBlock, f.lastBlockHash],
    });
    for (const job of this.prepared.values()) out.push(ofFacts(job.facts, job.batch.number));
    for (const [n, f] of this.facts) out.push(ofFacts(f, n));
    for (const n of this.deps.store.batches()) {
      const h = this.deps.store.hashesOf(n);
      if (h) {
        out.push({
          batch: n,
          parent: [h.firstBlock - 1, h.parentHash],
          last: [h.lastBlock, h.lastBlockHash],
        });
      }
    }
    for (const l of this.deps.leases.all()) {
      const b = this.batchOf(l.batch);
      if (l.hash && b) out.push({ batch: l.batch, last: [b.lastBlock, l.hash] });
    }
    for (const u of this.deps.unprovable?.all() ?? []) {
      if (u.hash) out.push({ batch: u.batch, last: [u.lastBlock, u.hash] });
    }
    return out;
  }

  private async setAside(batches: readonly number[], fromBlock: number): Promise<void> {
    const { store, leases, log, metrics, unprovable } = this.deps;
    let storedProofs = 0;
    for (const n of batches) {
      this.prepared.delete(n);
      this.facts.delete(n);
      this.proveFailures.delete(n);
      this.buildFailures.delete(n);
      leases.release(n);
      if (store.has(n)) {
        await store.discard(n, `block hashes replaced by an L2 reorg from block ${fromBlock}`);
        storedProofs++;
      }
      if (unprovable?.has(n)) await unprovable.remove(n);
    }
    this.reorgs++;
    this.lastReorg = {
      at: new Date().toISOString(),
      fromBlock,
      batches: [...batches],
      storedProofs,
    };
    metrics.reorgs.inc();
    metrics.storedProofs.set(store.size);
    metrics.lastVerified.set(store.highest() ?? NaN);
    metrics.unprovable.set(unprovable?.size ?? 0);
    this.updateGauges();
    log.warn(
      `L2 reorg: blocks from ${fromBlock} on were replaced; set aside batches ` +
        `${batches.join(", ")} (${storedProofs} stored proofs moved to ${store.dir}/discarded); ` +
        "proving the new blocks",
    );
    this.poke();
  }

  /**
   * With settlement (the source reports L1's committed hashes): sets aside every stored proof,
   * input and lease of a committed batch whose hash is not the committed one, and asks the L2 again
   * about the batches it disagreed with, clearing those it now agrees with.
   */
  private async checkCommitted(): Promise<void> {
    const { store, log } = this.deps;
    this.committedSource ||= [...this.known.values()].some((b) => b.lastBlockHash);
    for (const [n, m] of this.mismatched) {
      const batch = this.known.get(n);
      if (!batch?.lastBlockHash) {
        this.mismatched.delete(n); // verified on L1 meanwhile, or no longer pending
        continue;
      }
      const l2 = await this.l2HashOf(batch);
      if (sameHash(l2, batch.lastBlockHash)) {
        this.mismatched.delete(n);
        log.info(
          `the L2's block ${batch.lastBlock} is the block committed on L1 for batch ${n} again ` +
            `(mismatched since ${m.since}): proving it`,
        );
      }
    }
    for (const batch of this.known.values()) {
      const want = batch.lastBlockHash;
      if (!want) continue;
      const n = batch.number;
      const prepared = this.prepared.get(n)?.facts.lastBlockHash;
      if (prepared && !sameHash(prepared, want)) this.prepared.delete(n);
      const stored = store.hashesOf(n);
      if (stored && !sameHash(stored.lastBlockHash, want)) {
        // Proved from another chain than L1's (found on open, or stored before a reorg).
        log.warn(
          `setting aside the stored proof of batch ${n}: its last block hash ` +
            `${stored.lastBlockHash} is not the one committed on L1 (${want})`,
        );
        await this.discardUncommitted(n);
      }
    }
    this.deps.metrics.l1HashMismatches.set(this.mismatched.size);
  }

  private async discardUncommitted(n: number): Promise<void> {
    const { store, metrics } = this.deps;
    await store.discard(n, `its last block hash is not the one committed on L1 for batch ${n}`);
    metrics.storedProofs.set(store.size);
    metrics.lastVerified.set(store.highest() ?? NaN);
  }

  private async l2HashOf(batch: Batch): Promise<Hex | null> {
    if (this.deps.blockHash) return await this.deps.blockHash(batch.lastBlock);
    return (await this.deps.fetchFacts(batch)).lastBlockHash;
  }

  /**
   * Batch `batch` was committed with another last block hash than the L2's `l2Hash`: nothing of
   * it is handed out, kept prepared or kept proved (a stored proof of another hash goes to
   * discarded/), and an error says what happened and what to do; recorded once per episode.
   */
  private async noteMismatch(batch: Batch, l2Hash: Hex | null): Promise<void> {
    const { store, leases, log, metrics } = this.deps;
    const n = batch.number;
    this.prepared.delete(n);
    this.facts.delete(n);
    leases.release(n);
    const stored = store.hashesOf(n);
    if (stored && !sameHash(stored.lastBlockHash, batch.lastBlockHash!)) {
      await this.discardUncommitted(n);
    }
    this.updateGauges();
    if (this.mismatched.has(n)) return;
    const m: CommitMismatch = {
      batch: n,
      firstBlock: batch.firstBlock,
      lastBlock: batch.lastBlock,
      committedHash: batch.lastBlockHash!.toLowerCase() as Hex,
      l2Hash: l2Hash ? l2Hash.toLowerCase() as Hex : null,
      since: new Date().toISOString(),
    };
    this.mismatched.set(n, m);
    metrics.l1HashMismatches.set(this.mismatched.size);
    log.error(mismatchText(m));
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

function sameHash(a: Hex | null | undefined, b: Hex): boolean {
  return a !== null && a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** What an operator reads about a committed batch the L2 disagrees with. */
function mismatchText(m: CommitMismatch): string {
  return `batch ${m.batch} (blocks ${m.firstBlock}..${m.lastBlock}) was committed on L1 with ` +
    `last block hash ${m.committedHash}, but the L2 node's block ${m.lastBlock} is ` +
    `${m.l2Hash ?? "missing"}: the L2 reorged below what was committed, or --l2-rpc serves ` +
    `another chain. Batch ${m.batch} is not proved and no proof of it is sent: no batch from ` +
    `${m.batch} on can be verified on L1 until then. Point --l2-rpc at a node of the chain the committer ` +
    `committed (or restore it); the server goes on by itself once block ${m.lastBlock} has the ` +
    "committed hash again";
}
