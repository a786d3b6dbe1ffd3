/** The bytecode a witness carries. */
import { type Address, type Hex, keccak256 } from "viem";
import type { RpcClient } from "../rpc/client.ts";
import { blockTag, type RpcProof } from "../rpc/eth.ts";
import { WitnessBuildError } from "./errors.ts";
import type { Preflight } from "./preflight.ts";
import { EMPTY_CODE_HASH } from "./proofs.ts";

/**
 * The bytecode of every touched account with code: from the trace where it hashes right, else
 * eth_getCode at the parent.
 */
export async function touchedCode(
  rpc: RpcClient,
  parentProofs: Map<Address, RpcProof>,
  pf: Preflight,
  parentNumber: bigint,
): Promise<Hex[]> {
  const byHash = new Map<Hex, Hex>();
  const fetch: Address[] = [];
  for (const [addr, p] of parentProofs) {
    const codeHash = p.codeHash.toLowerCase() as Hex;
    if (codeHash === EMPTY_CODE_HASH || byHash.has(codeHash)) continue;
    const traced = pf.codes.get(addr);
    if (traced && keccak256(traced) === codeHash) {
      byHash.set(codeHash, traced.toLowerCase() as Hex);
    } else fetch.push(addr);
  }
  const fetched = await rpc.batch<Hex>(
    fetch.map((a) => ({ method: "eth_getCode", params: [a, blockTag(parentNumber)] })),
  );
  fetched.forEach((code, i) => {
    const want = parentProofs.get(fetch[i])!.codeHash.toLowerCase() as Hex;
    if (keccak256(code) !== want) {
      throw new WitnessBuildError(
        `eth_getCode of ${fetch[i]} at ${parentNumber} does not hash to its codeHash`,
      );
    }
    byHash.set(want, code.toLowerCase() as Hex);
  });
  return [...byHash.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
}
