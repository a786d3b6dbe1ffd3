/**
 * The one place that decides which spec deviations (quirks, zkvm/executor/src/quirks.rs) an
 * input asks the executor for. Explicit configuration wins (`--quirks`, L2_QUIRKS: a list, or
 * "none"); with "auto" (the default) the node-identity rule applies: a node whose
 * web3_clientVersion starts with "anvil/" gets the "anvil" preset, every other node (geth, reth,
 * ethrex, ...) follows the spec and gets none. A proof of an input with quirks attests that
 * node's rules, not Ethereum's: dev chains only.
 */
import type { RpcClient } from "../rpc/client.ts";

/** What the configuration says: "auto" (the node-identity rule) or an explicit list ([] = none). */
export type QuirksChoice = "auto" | readonly string[];

/** The quirks chosen for a node, and why. */
export interface QuirksDecision {
  readonly quirks: string[];
  /** "config": the explicit list; "node identity": the rule applied to `client`. */
  readonly source: "config" | "node identity";
  /** The node's web3_clientVersion ("unknown" when it has none). */
  readonly client: string;
}

/** The node-identity rule: the quirks a node with this web3_clientVersion needs. */
export function quirksForClient(client: string): string[] {
  return /^anvil\//i.test(client) ? ["anvil"] : [];
}

/** Applies the choice to a node's client version (see the module comment). */
export function decideQuirks(choice: QuirksChoice | undefined, client: string): QuirksDecision {
  if (choice === undefined || choice === "auto") {
    return { quirks: quirksForClient(client), source: "node identity", client };
  }
  return { quirks: [...choice], source: "config", client };
}

/** The node's web3_clientVersion, or "unknown" when it does not answer it. */
export async function clientVersion(rpc: RpcClient): Promise<string> {
  return await rpc.request<string>("web3_clientVersion", []).catch(() => "unknown");
}
