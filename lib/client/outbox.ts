/**
 * Finished proofs waiting for the server's SubmitAck. A proof is written here (atomically) as
 * soon as the host finishes and removed only once acknowledged, so a restarted client submits
 * what it had finished before proving anything new. Proofs the server refused for good are moved
 * to `rejected/` for the operator to look at.
 */
import { join } from "node:path";
import { decodeProofPayload, encodeProofPayload, type ProofPayload } from "../protocol/proof.ts";
import { removeStaleTemps, syncDir, writeFileAtomic } from "../store/atomic.ts";

/** A proof waiting to be acknowledged. */
export interface PendingProof {
  readonly batchNumber: number;
  readonly proof: ProofPayload;
}

const FILE_RE = /^block-(\d+)\.json$/;

/** The client's outbox directory. */
export class Outbox {
  private constructor(readonly dir: string, readonly rejectedDir: string) {}

  /** Opens (creating) `<clientDir>/outbox` and `<clientDir>/rejected`. */
  static async open(clientDir: string): Promise<Outbox> {
    const dir = join(clientDir, "outbox");
    const rejectedDir = join(clientDir, "rejected");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.mkdir(rejectedDir, { recursive: true });
    await removeStaleTemps(dir);
    return new Outbox(dir, rejectedDir);
  }

  /** Keeps a finished proof until it is acknowledged. */
  async put(p: PendingProof): Promise<void> {
    const json = JSON.stringify({
      batch_number: p.batchNumber,
      proof: encodeProofPayload(p.proof),
    });
    await writeFileAtomic(this.pathOf(p.batchNumber), new TextEncoder().encode(json));
  }

  /** Every waiting proof, lowest block first. */
  async list(): Promise<PendingProof[]> {
    const blocks: number[] = [];
    for await (const e of Deno.readDir(this.dir)) {
      const m = e.isFile ? FILE_RE.exec(e.name) : null;
      if (m) blocks.push(Number(m[1]));
    }
    blocks.sort((a, b) => a - b);
    const out: PendingProof[] = [];
    for (const b of blocks) {
      const o = JSON.parse(await Deno.readTextFile(this.pathOf(b)));
      out.push({ batchNumber: b, proof: decodeProofPayload(o.proof) });
    }
    return out;
  }

  /** Drops an acknowledged proof. */
  async remove(block: number): Promise<void> {
    await Deno.remove(this.pathOf(block)).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /** Moves a proof the server refused for good out of the way; returns where it went. */
  async reject(block: number): Promise<string> {
    const to = join(this.rejectedDir, `block-${block}.json`);
    await Deno.rename(this.pathOf(block), to);
    await syncDir(this.dir);
    return to;
  }

  private pathOf(block: number): string {
    return join(this.dir, `block-${block}.json`);
  }
}
