/** Typed failures of the zkVM host, one per exit code of docs/zkvm-host.md. */

/** The host's machine-readable error (the `error` progress event or the result file's `error`). */
export interface HostErrorInfo {
  readonly kind: string;
  /** Stable CamelCase name of the error variant, e.g. `StateRootMismatch`. */
  readonly code: string;
  readonly message: string;
}

/** Base class: every host failure carries the exit code and what the host said. */
export class HostError extends Error {
  override name = "HostError";
  constructor(
    message: string,
    /** Exit code, or null when the host was killed by a signal. */
    readonly exitCode: number | null,
    readonly info?: HostErrorInfo,
    /** The last free-form stderr lines (for diagnosis). */
    readonly stderrTail = "",
  ) {
    super(message);
  }
}

/** Exit 2: the host could not read the input (malformed, unsupported version or fork, usage). */
export class HostBadInputError extends HostError {
  override name = "HostBadInputError";
}

/** Exit 3: the executor checked the block and rejected it; `code` names why. */
export class InvalidBlockError extends HostError {
  override name = "InvalidBlockError";
  /** The host's error code, e.g. `StateRootMismatch` or `MissingTrieNode`. */
  get code(): string {
    return this.info?.code ?? "Unknown";
  }
}

/** Exit 4 (or no binary): the requested backend cannot run on this machine. */
export class BackendUnavailableError extends HostError {
  override name = "BackendUnavailableError";
}

/** Exit 1, another code, a signal, or a result file that breaks the contract. */
export class HostCrashError extends HostError {
  override name = "HostCrashError";
}

/** The run was cancelled through its AbortSignal; the child was killed. */
export class HostAbortedError extends HostError {
  override name = "HostAbortedError";
}

/**
 * The typed error for a zkvm-host exit code (docs/zkvm-host.md: 2 bad input, 3 invalid block,
 * 4 backend unavailable, anything else a crash). `subject` names what ran, e.g. `zkvm-host` or
 * `backend risc0`; `what` is the host's own `code: message`.
 */
export function hostErrorForExit(
  exitCode: number,
  subject: string,
  what: string,
  info?: HostErrorInfo,
  stderrTail = "",
): HostError {
  switch (exitCode) {
    case 2:
      return new HostBadInputError(`${subject} rejected the input: ${what}`, 2, info, stderrTail);
    case 3:
      return new InvalidBlockError(`invalid block: ${what}`, 3, info, stderrTail);
    case 4:
      return new BackendUnavailableError(`${subject} unavailable: ${what}`, 4, info, stderrTail);
    default:
      return new HostCrashError(
        `${subject} failed (exit ${exitCode}): ${what}`,
        exitCode,
        info,
        stderrTail,
      );
  }
}

/** The {@link HostErrorInfo} of a parsed `{"event":"error",...}` line, or undefined. */
export function errorEventInfo(event: Record<string, unknown>): HostErrorInfo | undefined {
  if (event.event !== "error") return undefined;
  return {
    kind: String(event.kind ?? ""),
    code: String(event.code ?? "Unknown"),
    message: String(event.message ?? ""),
  };
}
