/** The production ProveFn: the execute use case (lib/execute) on the job's input. */
import type { HostProgress, HostResult } from "../host/mod.ts";
import { parseAnyInput } from "../input/mod.ts";
import { executeBlock } from "../execute/execute_block.ts";
import type { ExecuteFailure } from "../execute/failure.ts";
import { logger } from "../log/logger.ts";
import type { ProofPayload } from "../protocol/proof.ts";
import { DeterministicProveError, FatalProverError, type ProveFn } from "./client.ts";
import type { ProveProgress } from "./progress.ts";

/** How the host is run. */
export interface HostProverOptions {
  readonly backend: "exec" | "risc0";
  /** RISC0_DEV_MODE: execute only with a fake receipt. */
  readonly devMode: boolean;
  readonly hostBin?: string;
  /** Extra environment for the host: the real-proof knobs (lib/host/proving_env.ts). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A ProveFn that runs zkvm-host on the job's input and turns its result into a proof payload. */
export function hostProver(opts: HostProverOptions): ProveFn {
  const log = logger("host-prover");
  return async (job, { signal, onProgress }) => {
    let input;
    try {
      input = parseAnyInput(job.input);
    } catch (e) {
      throw new DeterministicProveError(
        `the server's input is not a prover input: ${(e as Error).message}`,
        "bad_input",
        "MalformedInput",
      );
    }
    const outcome = await executeBlock({
      source: { kind: "input", input },
      backend: opts.backend,
      devMode: opts.devMode,
      // A real proof is made for L1, whose verifier takes Groth16 seals only: ask for that
      // receipt up front, so a host that cannot wrap one stops before proving, not after.
      receipt: opts.backend === "risc0" && !opts.devMode ? "groth16" : undefined,
      hostBin: opts.hostBin,
      env: opts.env,
      workDir: job.workDir,
      log,
      signal,
      onProgress: (ev: HostProgress) => {
        const p = toProgress(ev);
        if (p) onProgress(p);
      },
    });
    if ("failure" in outcome) throw proveError(outcome.failure);
    return toPayload(outcome.result);
  };
}

/** What the client does with a failed run: stop, report it as the input's fault, or retry. */
function proveError(f: ExecuteFailure): Error {
  switch (f.kind) {
    case "backend_unavailable":
      return new FatalProverError(`${f.message} (try --backend exec, or rebuild zkvm-host)`);
    // The host's verdict on this input: any client running it would get the same.
    case "invalid_block":
      return new DeterministicProveError(f.message, "invalid_block", f.code ?? "Unknown");
    case "bad_input":
      return new DeterministicProveError(f.message, "bad_input", f.code ?? "BadInput");
    default:
      return f.cause instanceof Error ? f.cause : new Error(f.message);
  }
}

/** Maps the host's result (docs/zkvm-host.md) onto the wire's proof payload. */
export function toPayload(r: HostResult): ProofPayload {
  return {
    backend: r.backend,
    mode: r.mode,
    imageId: r.imageId,
    journal: r.journal,
    seal: r.seal,
    receipt: r.receipt ?? null,
    cycles: r.cycles.total,
    segments: r.segments,
    provingMs: r.wallMs,
  };
}

function toProgress(ev: HostProgress): ProveProgress | undefined {
  const e = ev as Record<string, unknown>;
  if (e.event === "phase" && typeof e.phase === "string") {
    return { kind: "phase", phase: e.phase, ms: typeof e.ms === "number" ? e.ms : undefined };
  }
  if (e.event === "segment" && typeof e.index === "number") {
    return { kind: "segment", index: e.index, total: typeof e.total === "number" ? e.total : null };
  }
  return undefined;
}
