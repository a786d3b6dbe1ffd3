/**
 * Which batches were handed out, and until when, kept across restarts: a restarted server honours
 * the leases it granted before (so it does not hand a batch being proved to a second client) and
 * still recognises a late Submit for a batch it handed out before the restart.
 */
import { join } from "node:path";
import type { Hex } from "../protocol/proof.ts";
import { writeFileAtomic } from "./atomic.ts";

const FILE = "leases.jsonl";

/** One client's claim on a batch. */
export interface Lease {
  /** The batch number. */
  readonly batch: number;
  /** Who holds it (peer address), for logs. */
  readonly holder: string;
  readonly grantedAt: number;
  readonly expiresAt: number;
  /** The batch's last block hash when it was handed out: the chain the lease is on. */
  readonly hash?: Hex;
}

/** What {@link LeaseJournal.open} found wrong in the file (it went on without those lines). */
export interface JournalDamage {
  /** A last line cut short (a crash mid-append): its bytes. */
  readonly tornTailBytes: number;
  /** Other lines that did not parse. */
  readonly badLines: number;
}

/**
 * Append-only lines `{"batch":N,"holder":"…","granted_at":ms,"expires_at":ms,"hash":"0x…"}`
 * (`hash`: the batch's last block hash when handed out); last line wins.
 */
export class LeaseJournal {
  /** Writes run one after another, so a compaction never races an append. */
  private queue: Promise<void> = Promise.resolve();
  private appended = 0;
  private compactionQueued = false;

  private constructor(private readonly path: string, private file: Deno.FsFile) {}

  /**
   * Opens the journal under `dataDir` and returns it with the leases it holds, leaving out batches
   * `isDone` says are proved. The file is compacted to those leases on open.
   */
  static async open(
    dataDir: string,
    isDone: (batch: number) => boolean,
  ): Promise<{ journal: LeaseJournal; leases: Lease[]; damage?: JournalDamage }> {
    await Deno.mkdir(dataDir, { recursive: true });
    const path = join(dataDir, FILE);
    const byBlock = new Map<number, Lease>();
    let text = "";
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const lines = text.split("\n");
    // A file ends with a newline; text after the last one is a line whose append was cut short.
    const tail = lines.pop() ?? "";
    let badLines = 0;
    for (const line of lines) {
      const lease = parseLine(line);
      if (lease === null) badLines++;
      else if (lease && !isDone(lease.batch)) byBlock.set(lease.batch, lease);
    }
    const tailLease = parseLine(tail);
    if (tailLease && !isDone(tailLease.batch)) byBlock.set(tailLease.batch, tailLease);
    const tornTailBytes = tail !== "" && !tailLease ? new TextEncoder().encode(tail).length : 0;
    const damage = tornTailBytes || badLines ? { tornTailBytes, badLines } : undefined;
    const leases = [...byBlock.values()].sort((a, b) => a.batch - b.batch);
    await writeFileAtomic(path, new TextEncoder().encode(leases.map(formatLine).join("")));
    const file = await Deno.open(path, { append: true, create: true });
    return { journal: new LeaseJournal(path, file), leases, damage };
  }

  /**
   * Records a granted lease, durably (fsynced): the hand-out waits for it, so a restarted server
   * knows every batch it handed out and takes their late proofs.
   */
  record(lease: Lease): Promise<void> {
    return this.enqueue(async () => {
      const bytes = new TextEncoder().encode(formatLine(lease));
      let off = 0;
      while (off < bytes.length) off += await this.file.write(bytes.subarray(off));
      await this.file.sync();
      this.appended++;
    });
  }

  /** Lines appended since the file was last rewritten. */
  get lines(): number {
    return this.appended;
  }

  /** Rewrites the file to hold just `leases()` (evaluated when the rewrite runs). */
  compact(leases: () => readonly Lease[]): Promise<void> {
    if (this.compactionQueued) return this.queue;
    this.compactionQueued = true;
    return this.enqueue(async () => {
      this.compactionQueued = false;
      const text = leases().map(formatLine).join("");
      await writeFileAtomic(this.path, new TextEncoder().encode(text));
      this.file.close();
      this.file = await Deno.open(this.path, { append: true, create: true });
      this.appended = 0;
    });
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Closes the file once the writes queued before are done. */
  close(): Promise<void> {
    return this.enqueue(() => {
      try {
        this.file.close();
      } catch { /* already closed */ }
      return Promise.resolve();
    });
  }
}

function formatLine(l: Lease): string {
  const o: Record<string, unknown> = {
    batch: l.batch,
    holder: l.holder,
    granted_at: l.grantedAt,
    expires_at: l.expiresAt,
  };
  if (l.hash !== undefined) o.hash = l.hash;
  return JSON.stringify(o) + "\n";
}

/** A lease, undefined for an empty line, null for one that does not parse. */
function parseLine(line: string): Lease | undefined | null {
  if (line.trim() === "") return undefined;
  try {
    const o = JSON.parse(line);
    if (
      Number.isSafeInteger(o.batch) && typeof o.holder === "string" &&
      typeof o.granted_at === "number" && typeof o.expires_at === "number"
    ) {
      const lease = {
        batch: o.batch,
        holder: o.holder,
        grantedAt: o.granted_at,
        expiresAt: o.expires_at,
      };
      return typeof o.hash === "string" ? { ...lease, hash: o.hash as Hex } : lease;
    }
  } catch { /* reported by the caller */ }
  return null;
}
