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
