/**
 * The durable proof store: one JSON file per accepted proof under `<data-dir>/proofs/`. A proof
 * is on disk (fsynced, renamed, directory fsynced) before the server acknowledges it, so a
 * restarted server keeps every proof it ever acknowledged.
 */
import { join } from "node:path";
import type { BlockFacts } from "../server/facts.ts";
import { type ProofPayload } from "../protocol/proof.ts";
import { decodeProofPayload, encodeProofPayload } from "../protocol/proof.ts";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";

/** An accepted proof as stored. */
export interface StoredProof {
  readonly blockNumber: number;
  /** ISO time it was accepted. */
  readonly storedAt: string;
  /** The block the journal was checked against. */
  readonly facts: BlockFacts;
  readonly proof: ProofPayload;
}

const FILE_RE = /^block-(\d+)\.json$/;

/** A directory of stored proofs; the set of stored block numbers is kept in memory. */
export class ProofStore {
  private constructor(
    /** The directory holding the proof files. */
    readonly dir: string,
    private readonly stored: Set<number>,
  ) {}

  private top: number | undefined;

  /** Opens (creating if needed) the store under `dataDir`, loading the list of stored blocks. */
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

  /** True when a proof of `block` is stored. */
  has(block: number): boolean {
    return this.stored.has(block);
  }

  /** Number of stored proofs. */
  get size(): number {
    return this.stored.size;
  }

  /** The highest stored block number, or undefined when the store is empty. */
  highest(): number | undefined {
    if (this.top === undefined) {
      for (const b of this.stored) if (this.top === undefined || b > this.top) this.top = b;
    }
    return this.top;
  }

  /** Stored block numbers, ascending. */
  blocks(): number[] {
    return [...this.stored].sort((a, b) => a - b);
  }

  /** The path of the file that holds (or would hold) the proof of `block`. */
  pathOf(block: number): string {
    return join(this.dir, `block-${String(block).padStart(12, "0")}.json`);
  }

  /** Stores a proof atomically and durably; resolves only once it would survive a crash. */
  async put(record: StoredProof): Promise<void> {
    const json = JSON.stringify(
      {
        version: 1,
        block_number: record.blockNumber,
        stored_at: record.storedAt,
        facts: record.facts,
        proof: encodeProofPayload(record.proof),
      },
      null,
      1,
    );
    await writeFileAtomic(this.pathOf(record.blockNumber), new TextEncoder().encode(json));
    this.stored.add(record.blockNumber);
    if (this.top === undefined || record.blockNumber > this.top) this.top = record.blockNumber;
  }

  /** Reads the stored proof of `block`, or undefined when there is none. */
  async get(block: number): Promise<StoredProof | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.pathOf(block));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    const o = JSON.parse(text);
    return {
      blockNumber: o.block_number,
      storedAt: o.stored_at,
      facts: o.facts,
      proof: decodeProofPayload(o.proof),
    };
  }
}
