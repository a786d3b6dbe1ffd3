/**
 * Batches set aside as unprovable: enough independent clients reported that the host rejects
 * them (invalid block, bad input). Kept in `<data-dir>/unprovable.json` so a restart does not
 * hand them out again; the operator removes an entry (or the file) to have the batch tried again.
 */
import { join } from "node:path";
import type { Hex } from "../protocol/proof.ts";
import { writeFileAtomic } from "./atomic.ts";

/** One unprovable batch. */
export interface UnprovableBatch {
  readonly batch: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  /** The last block hash of the input that failed: a reorg that replaces it clears the entry. */
  readonly hash?: Hex;
  /** The host's verdict: failure kind and code, and its message. */
  readonly failure: string;
  readonly code: string;
  readonly message: string;
  /** Independent failure reports counted. */
  readonly failures: number;
  /** ISO time it was set aside. */
  readonly since: string;
}

const FILE = "unprovable.json";

/** The persisted set of unprovable batches. */
export class UnprovableSet {
  private constructor(
    /** The file the set is kept in. */
    readonly path: string,
    private readonly byBatch: Map<number, UnprovableBatch>,
  ) {}

  /** Loads the set from `dataDir` (empty when there is no file). */
  static async open(dataDir: string): Promise<UnprovableSet> {
    const path = join(dataDir, FILE);
    const map = new Map<number, UnprovableBatch>();
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (text !== undefined) {
      let list: unknown;
      try {
        list = JSON.parse(text);
      } catch (e) {
        throw new Error(`${path} is not JSON (${(e as Error).message}): fix or remove it`);
      }
      for (const u of Array.isArray(list) ? list : []) {
        if (Number.isSafeInteger(u?.batch)) map.set(u.batch, u as UnprovableBatch);
      }
    }
    return new UnprovableSet(path, map);
  }

  /** True when batch `n` is set aside. */
  has(n: number): boolean {
    return this.byBatch.has(n);
  }

  /** The entry of batch `n`. */
  get(n: number): UnprovableBatch | undefined {
    return this.byBatch.get(n);
  }

  /** Every entry, lowest batch first. */
  all(): UnprovableBatch[] {
    return [...this.byBatch.values()].sort((a, b) => a.batch - b.batch);
  }

  /** Number of unprovable batches. */
  get size(): number {
    return this.byBatch.size;
  }

  /** Sets a batch aside, durably. */
  async add(u: UnprovableBatch): Promise<void> {
    this.byBatch.set(u.batch, u);
    await this.save();
  }

  /** Takes batch `n` back (its blocks were replaced by a reorg), durably. */
  async remove(n: number): Promise<void> {
    if (this.byBatch.delete(n)) await this.save();
  }

  private async save(): Promise<void> {
    await writeFileAtomic(this.path, new TextEncoder().encode(JSON.stringify(this.all(), null, 1)));
  }
}
