/** The witness of a node that has debug_executionWitness (reth, geth, ethrex), normalised. */
import type { Hex } from "viem";
import type { ProverInput } from "../input/types.ts";
import type { RpcClient } from "../rpc/client.ts";
import { isMethodNotFound } from "../rpc/errors.ts";
import { blockTag, type RpcHeader } from "../rpc/eth.ts";
import { remember } from "./chain.ts";
import { encodeHeader } from "./rlp.ts";

/** The node's own witness of block `n`, or undefined when it has no debug_executionWitness. */
export async function nodeWitness(
  rpc: RpcClient,
  n: bigint,
): Promise<ProverInput["witness"] | undefined> {
  let raw: Record<string, unknown>;
  try {
    raw = await rpc.request<Record<string, unknown>>("debug_executionWitness", [blockTag(n)]);
    remember(rpc, "debug_executionWitness", true);
  } catch (e) {
    if (!isMethodNotFound(e)) throw e;
    remember(rpc, "debug_executionWitness", false);
    return undefined;
  }
  // Nodes differ in detail: reth/ethrex send RLP headers, geth JSON headers; some send maps.
  const list = (v: unknown): unknown[] =>
    Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : [];
  const hexes = (v: unknown) =>
    list(v).filter((x): x is Hex => typeof x === "string" && x.startsWith("0x"));
  const headers = list(raw.headers).map((
    h,
  ) => (typeof h === "string" ? (h as Hex) : encodeHeader(h as RpcHeader)));
  return { state: hexes(raw.state), codes: hexes(raw.codes), keys: hexes(raw.keys), headers };
}
