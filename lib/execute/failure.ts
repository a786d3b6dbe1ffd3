/**
 * What went wrong in an execute run, as an operator reads it: a kind, the host's error code and
 * the exit code, decided once from the typed errors of the input, RPC, witness and host layers.
 */
import { EXIT } from "../exit/codes.ts";
import {
  BackendUnavailableError,
  HostAbortedError,
  HostBadInputError,
  HostError,
  InvalidBlockError,
} from "../host/mod.ts";
import { InputDecodeError } from "../input/mod.ts";
import { RpcError, RpcTransportError } from "../rpc/errors.ts";
import { BlockNotFoundError, WitnessBuildError } from "../witness/mod.ts";

/** A failed run: what to print and the exit code. */
export interface ExecuteFailure {
  readonly exitCode: number;
  readonly kind: string;
  readonly code?: string;
  readonly message: string;
  /** The error classified, for a caller that acts on its type (perf falls back on an unavailable backend). */
  readonly cause?: unknown;
}

/** Classifies an error thrown while building or reading the prover input. */
export function inputFailure(e: unknown): ExecuteFailure {
  return { ...classifyInput(e), cause: e };
}

function classifyInput(e: unknown): ExecuteFailure {
  const message = (e as Error).message;
  if (e instanceof InputDecodeError) return { exitCode: EXIT.config, kind: "bad_input", message };
  if (e instanceof BlockNotFoundError) return { exitCode: EXIT.config, kind: "bad_input", message };
  if (e instanceof RpcTransportError) return { exitCode: EXIT.failure, kind: "rpc", message };
  if (e instanceof RpcError) {
    return { exitCode: EXIT.failure, kind: "rpc", code: String(e.code), message };
  }
  if (e instanceof WitnessBuildError) return { exitCode: EXIT.failure, kind: "witness", message };
  if (e instanceof DOMException && e.name === "AbortError") {
    return { exitCode: EXIT.interrupted, kind: "interrupted", message };
  }
  return { exitCode: EXIT.failure, kind: "internal", message: `${(e as Error).name}: ${message}` };
}

/** Classifies an error thrown by the zkVM host run. */
export function hostFailure(e: unknown): ExecuteFailure {
  return { ...classifyHost(e), cause: e };
}

function classifyHost(e: unknown): ExecuteFailure {
  if (!(e instanceof HostError)) {
    return { exitCode: EXIT.failure, kind: "internal", message: (e as Error).message };
  }
  const code = e.info?.code;
  if (e instanceof InvalidBlockError) {
    return { exitCode: EXIT.invalid, kind: "invalid_block", code, message: e.message };
  }
  if (e instanceof HostBadInputError) {
    return { exitCode: EXIT.config, kind: "bad_input", code, message: e.message };
  }
  if (e instanceof BackendUnavailableError) {
    return { exitCode: EXIT.unavailable, kind: "backend_unavailable", code, message: e.message };
  }
  if (e instanceof HostAbortedError) {
    return { exitCode: EXIT.interrupted, kind: "interrupted", message: e.message };
  }
  const tail = e.stderrTail
    ? ` (host stderr: ${e.stderrTail.split("\n").slice(-3).join(" | ")})`
    : "";
  return { exitCode: EXIT.failure, kind: "internal", code, message: e.message + tail };
}
