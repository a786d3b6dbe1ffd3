/** Reverts of the settlement contracts, decoded by name (with InvalidProof's inner reason). */
import { BaseError, decodeErrorResult, type Hex } from "viem";
import { SETTLEMENT_ERRORS_ABI } from "./artifacts.ts";

/** A decoded revert: the error's name, its arguments, and for InvalidProof the verifier's reason. */
export interface DecodedRevert {
  readonly name: string;
  readonly args: readonly unknown[];
  /** InvalidProof(batch, reason): the batch whose seal failed. */
  readonly batch?: bigint;
  /** InvalidProof(batch, reason): the verifier's own error, decoded. */
  readonly inner?: DecodedRevert;
  /** The raw revert data. */
  readonly data: Hex;
}

/** Decodes revert data against every settlement error; unknown data gets the name "unknown". */
export function decodeRevertData(data: Hex): DecodedRevert {
  if (data === "0x") return { name: "empty revert", args: [], data };
  try {
    const r = decodeErrorResult({ abi: SETTLEMENT_ERRORS_ABI as never, data });
    const args = (r.args ?? []) as readonly unknown[];
    if (r.errorName === "InvalidProof") {
      return {
        name: r.errorName,
        args,
        batch: args[0] as bigint,
        inner: decodeRevertData(args[1] as Hex),
        data,
      };
    }
    return { name: r.errorName, args, data };
  } catch {
    return { name: "unknown", args: [], data };
  }
}

/** One line for logs: `InvalidProof(batch 3: VerificationFailed())`. */
export function formatRevert(r: DecodedRevert): string {
  if (r.name === "InvalidProof" && r.inner) {
    return `InvalidProof(batch ${r.batch}: ${formatRevert(r.inner)})`;
  }
  if (r.name === "unknown") return `unknown revert ${r.data.slice(0, 74)}`;
  return `${r.name}(${r.args.map(fmtArg).join(", ")})`;
}

function fmtArg(a: unknown): string {
  return typeof a === "bigint" ? a.toString() : String(a);
}

/** The revert data inside a viem error (eth_call, estimateGas, simulate), or undefined. */
export function revertDataOf(e: unknown): Hex | undefined {
  if (!(e instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  e.walk((err) => {
    const d = (err as { data?: unknown }).data;
    if (typeof d === "string" && /^0x[0-9a-fA-F]*$/.test(d)) {
      found = d as Hex;
      return true;
    }
    if (d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string") {
      found = (d as { data: Hex }).data;
      return true;
    }
    return false;
  });
  return found;
}

/** A transaction or call the contract refused; carries the decoded revert. */
export class ContractRevertError extends Error {
  override name = "ContractRevertError";
  constructor(
    /** What was attempted, e.g. "verifyBatches(3..5)". */
    readonly action: string,
    readonly revert: DecodedRevert,
    options?: ErrorOptions,
  ) {
    super(`${action} reverted: ${formatRevert(revert)}`, options);
  }
}
