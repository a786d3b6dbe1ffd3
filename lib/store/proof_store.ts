/**
 * The durable proof store: one JSON file per accepted batch proof under `<data-dir>/proofs/`
 * (`batch-<number>.json`, recording the batch's block range and hashes). A proof
 * is on disk (fsynced, renamed, directory fsynced) before the server acknowledges it, so a
 * restarted server keeps every proof it ever acknowledged. On open every file is checked (it
 * parses, its checksum holds, its facts match its name and its journal); a bad one is moved to
 * `quarantine/` so its batch is proved again instead of being counted as done.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { BatchFacts } from "../protocol/facts.ts";
import { journalMismatch } from "../protocol/facts.ts";
import { type Hex, type ProofPayload } from "../protocol/proof.ts";
import { decodeProofPayload, encodeProofPayload } from "../protocol/proof.ts";
import { readTextIfExists, removeStaleTemps, writeFileAtomic } from "./atomic.ts";

/** A proof file that failed its check on open, and where it was moved. */
export interface QuarantinedFile {
  /** The batch its name says it holds. */
  readonly batch: number;
  readonly file: string;
  readonly reason: string;
  readonly movedTo: string;
}

/** The block hashes a stored proof is bound to (what a reorg check compares). */
export interface StoredHashes {
  readonly firstBlock: number;
  readonly lastBlock: number;
  readonly parentHash: Hex;
  readonly lastBlockHash: Hex;
}

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

/** A directory of stored proofs; the stored batch numbers and their hashes are kept in memory. */
export class ProofStore {
  private constructor(
    /** The directory holding the proof files. */
    readonly dir: string,
    private readonly stored: Map<number, StoredHashes>,
    /** Files set aside on open, for logs and /status. */
    readonly quarantined: readonly QuarantinedFile[],
  ) {}

  private top: number | undefined;

  /**
   * Opens (creating if needed) the store under `dataDir`, checking every proof file and
   * quarantining the bad ones (see {@link checkProofFile}).
   */
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
    const stored = new Map<number, StoredHashes>();
    const quarantined: QuarantinedFile[] = [];
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && FILE_RE.test(e.name)) names.push(e.name);
    }
    for (const name of names.sort()) {
      const n = Number(FILE_RE.exec(name)![1]);
      let verdict: StoredHashes | string;
      try {
        verdict = checkProofFile(n, await Deno.readFile(join(dir, name)));
      } catch (e) {
        verdict = `unreadable: ${(e as Error).message}`;
      }
      if (typeof verdict !== "string" && stored.has(n)) verdict = `a second file of batch ${n}`;
      if (typeof verdict === "string") {
        const movedTo = await setAside(dir, "quarantine", name, verdict);
        quarantined.push({ batch: n, file: name, reason: verdict, movedTo });
      } else {
        stored.set(n, verdict);
      }
    }
    return new ProofStore(dir, stored, quarantined);
  }

  /** The hashes the proof of batch `n` is bound to, when one is stored. */
  hashesOf(n: number): StoredHashes | undefined {
    return this.stored.get(n);
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
      for (const b of this.stored.keys()) if (this.top === undefined || b > this.top) this.top = b;
    }
    return this.top;
  }

  /** Stored batch numbers, ascending. */
  batches(): number[] {
    return [...this.stored.keys()].sort((a, b) => a - b);
  }

  /** The path of the file that holds (or would hold) the proof of batch `n`. */
  pathOf(n: number): string {
    return join(this.dir, `batch-${String(n).padStart(12, "0")}.json`);
  }

  /** Stores a proof atomically and durably; resolves only once it would survive a crash. */
  async put(record: StoredProof): Promise<void> {
    const body = {
      version: 2,
      batch_number: record.batchNumber,
      first_block: record.firstBlock,
      last_block: record.lastBlock,
      stored_at: record.storedAt,
      facts: record.facts,
      proof: encodeProofPayload(record.proof),
    };
    const json = JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 1);
    await writeFileAtomic(this.pathOf(record.batchNumber), new TextEncoder().encode(json));
    this.stored.set(record.batchNumber, {
      firstBlock: record.firstBlock,
      lastBlock: record.lastBlock,
      parentHash: record.facts.parentHash,
      lastBlockHash: record.facts.lastBlockHash,
    });
    if (this.top === undefined || record.batchNumber > this.top) this.top = record.batchNumber;
  }

  /**
   * Takes the proof of batch `n` out of the store so that the batch is proved again; the file
   * is moved to `discarded/` with `reason` beside it (kept for inspection, never re-read).
   */
  async discard(n: number, reason: string): Promise<void> {
    if (!this.stored.has(n)) return;
    // Out of the in-memory set first: nothing reads it as stored while the file moves.
    this.stored.delete(n);
    this.top = undefined;
    await setAside(this.dir, "discarded", `batch-${String(n).padStart(12, "0")}.json`, reason);
  }

  /** Reads the stored proof of batch `n`, or undefined when there is none. */
  async get(n: number): Promise<StoredProof | undefined> {
    const text = await readTextIfExists(this.pathOf(n));
    if (text === undefined) return undefined;
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

/**
 * Checks one proof file of batch `n`: it parses, its checksum (files written since checksums
 * exist) holds, its batch number and block range match its name and facts, its proof decodes and
 * its journal commits to its facts. Returns the hashes it is bound to, or why it is bad.
 */
export function checkProofFile(n: number, bytes: Uint8Array): StoredHashes | string {
  if (bytes.length === 0) return "empty file (0 bytes)";
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    return `not JSON (${bytes.length} bytes, truncated or overwritten?): ${(e as Error).message}`;
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) return "not a JSON object";
  if (o.version !== 2) return `unknown version ${JSON.stringify(o.version)}`;
  const { checksum, ...body } = o;
  if (checksum !== undefined && checksum !== checksumOf(body)) {
    return "checksum does not match the content (edited or corrupted)";
  }
  if (o.batch_number !== n) return `names batch ${o.batch_number}, its file name batch ${n}`;
  const f = o.facts as BatchFacts | undefined;
  if (typeof f !== "object" || f === null) return "no facts";
  if (o.first_block !== f.firstBlock || o.last_block !== f.lastBlock) {
    return `block range ${o.first_block}..${o.last_block} differs from its facts' ` +
      `${f.firstBlock}..${f.lastBlock}`;
  }
  let proof: ProofPayload;
  try {
    proof = decodeProofPayload(o.proof);
  } catch (e) {
    return `proof does not decode: ${(e as Error).message}`;
  }
  const mismatch = journalMismatch(proof.journal, f);
  if (mismatch) return mismatch;
  return {
    firstBlock: f.firstBlock,
    lastBlock: f.lastBlock,
    parentHash: f.parentHash.toLowerCase() as Hex,
    lastBlockHash: f.lastBlockHash.toLowerCase() as Hex,
  };
}

/** `sha256:<hex>` of a proof file's body (everything but the checksum, as written). */
function checksumOf(body: Record<string, unknown>): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(body, null, 1)).digest("hex")}`;
}

/** Moves `<dir>/<name>` to `<dir>/<sub>/` with a `.reason.txt` beside it; returns the new path. */
async function setAside(dir: string, sub: string, name: string, reason: string): Promise<string> {
  const to = join(dir, sub);
  await Deno.mkdir(to, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const base = join(to, `${name.replace(/\.json$/, "")}-${stamp}`);
  await Deno.writeTextFile(`${base}.reason.txt`, `${reason}\n`);
  await Deno.rename(join(dir, name), `${base}.json`);
  return `${base}.json`;
}
