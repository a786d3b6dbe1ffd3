/**
 * The durable proof store: one JSON file per accepted batch proof under `<data-dir>/proofs/`
 * (`batch-<number>.json`, recording the batch's block range). A proof
 * is on disk (fsynced, renamed, directory fsynced) before the server acknowledges it, so a
 * restarted server keeps every proof it ever acknowledged.
 */
import { join } from "node:path";
import type { BatchFacts } from "../protocol/facts.ts";
import { type ProofPayload } from "../protocol/proof.ts";
import { decodeProofPayload, encodeProofPayload } from "../protocol/proof.ts";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";

/** An accepted proof as stored. */
export interface StoredProof {
  readonly batchNumber: number;
  /** The batch's block range (inclusive). */
  readonly firstBlock: number;
  readonly lastBlock: number;
  /** ISO time it was accepted. */
  readonly storedAt: string;
  /** The batch the journal was checked against. */
  readonly facts: BatchFacts;
  readonly proof: ProofPayload;
}

const FILE_RE = /^batch-(\d+)\.json$/;

/** A directory of stored proofs; the set of stored batch numbers is kept in memory. */
export class ProofStore {
  private constructor(
    /** The directory holding the proof files. */
    readonly dir: string,
    private readonly stored: Set<number>,
  ) {}

  private top: number | undefined;

  /** Opens (creating if needed) the store under `dataDir`, loading the list of stored batches. */
  static async open(dataDir: string): Promise<ProofStore> {
    const dir = join(dataDir, "proofs");
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (e) {
      throw new Error(
        `cannot create the proof store '${dir}': ${(e as Error).message} (check --data-dir)`,
      );
    }
    await removeStaleTemps(dir);
    const stored = new Set<number>();
    for await (const e of Deno.readDir(dir)) {
      const m = e.isFile ? FILE_RE.exec(e.name) : null;
      if (m) stored.add(Number(m[1]));
    }
    return new ProofStore(dir, stored);
  }

  /** True when a proof of batch `n` is stored. */
  has(n: number): boolean {
    return this.stored.has(n);
  }

  /** Number of stored proofs. */
  get size(): number {
    return this.stored.size;
  }

  /** The highest stored batch number, or undefined when the store is empty. */
  highest(): number | undefined {
    if (this.top === undefined) {
      for (const b of this.stored) if (this.top === undefined || b > this.top) this.top = b;
    }
    return this.top;
  }

  /** Stored batch numbers, ascending. */
  batches(): number[] {
    return [...this.stored].sort((a, b) => a - b);
  }

  /** The path of the file that holds (or would hold) the proof of batch `n`. */
  pathOf(n: number): string {
    return join(this.dir, `batch-${String(n).padStart(12, "0")}.json`);
  }

  /** Stores a proof atomically and durably; resolves only once it would survive a crash. */
  async put(record: StoredProof): Promise<void> {
    const json = JSON.stringify(
      {
        version: 2,
        batch_number: record.batchNumber,
        first_block: record.firstBlock,
        last_block: record.lastBlock,
        stored_at: record.storedAt,
        facts: record.facts,
        proof: encodeProofPayload(record.proof),
      },
      null,
      1,
    );
    await writeFileAtomic(this.pathOf(record.batchNumber), new TextEncoder().encode(json));
    this.stored.add(record.batchNumber);
    if (this.top === undefined || record.batchNumber > this.top) this.top = record.batchNumber;
  }

  /**
   * Takes the proof of batch `n` out of the store so that the batch is proved again; the file
   * is moved to `discarded/` with `reason` beside it (kept for inspection, never re-read).
   */
  async discard(n: number, reason: string): Promise<void> {
    if (!this.stored.has(n)) return;
    const dir = join(this.dir, "discarded");
    await Deno.mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const base = join(dir, `batch-${String(n).padStart(12, "0")}-${stamp}`);
    await Deno.writeTextFile(`${base}.reason.txt`, `${reason}\n`);
    await Deno.rename(this.pathOf(n), `${base}.json`);
    this.stored.delete(n);
    this.top = undefined;
  }

  /** Reads the stored proof of batch `n`, or undefined when there is none. */
  async get(n: number): Promise<StoredProof | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.pathOf(n));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    const o = JSON.parse(text);
    return {
      batchNumber: o.batch_number,
      firstBlock: o.first_block,
      lastBlock: o.last_block,
      storedAt: o.stored_at,
      facts: o.facts,
      proof: decodeProofPayload(o.proof),
    };
  }
}
