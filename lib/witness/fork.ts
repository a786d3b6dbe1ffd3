/**
 * Which execution-layer fork a block runs under. The answer is explicit: an override wins, then
 * what the node says about itself (anvil_nodeInfo, debug_chainConfig, eth_config), then the
 * header's fields, which only give a lower bound (an Osaka header looks like a Prague one), so
 * that case is reported. A chain config that activates a fork after the last one this prover
 * implements is refused rather than proved under the wrong rules.
 */
import { KNOWN_FORKS } from "../input/types.ts";
import { WitnessBuildError } from "./errors.ts";
import type { RpcHeader } from "../rpc/eth.ts";
import type { RpcClient } from "../rpc/client.ts";
import { isMethodNotFound, RpcError } from "../rpc/errors.ts";

/** Forks in activation order (DESIGN §1 spelling): the input format's list, which is ordered. */
export const FORK_ORDER = KNOWN_FORKS;

/** Where the fork name came from. */
export type ForkSource =
  | "override"
  | "anvil_nodeInfo"
  | "debug_chainConfig"
  | "eth_config"
  | "header";

/** A detected fork and how sure we are. */
export interface ForkChoice {
  readonly fork: string;
  readonly source: ForkSource;
  /** Set when the answer is a lower bound (header-based): pass --fork to be exact. */
  readonly note?: string;
}

/** Whether `fork` is `base` or later (unknown names count as later than everything known). */
export function forkAtLeast(fork: string, base: (typeof FORK_ORDER)[number]): boolean {
  const i = FORK_ORDER.indexOf(fork as (typeof FORK_ORDER)[number]);
  return i === -1 || i >= FORK_ORDER.indexOf(base);
}

/** Normalises a fork name from a node ("Bpo1", "Prague", "Merge") to DESIGN spelling. */
export function normalizeForkName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  const aliases: Record<string, string> = {
    merge: "paris",
    parismerge: "paris",
    pragueeof: "prague",
    dao: "homestead",
    tangerine: "homestead",
    spuriousdragon: "homestead",
    muirglacier: "istanbul",
    arrowglacier: "london",
    grayglacier: "london",
  };
  return aliases[s] ?? s;
}

/** The fork a header's fields imply at least. */
export function forkFromHeader(h: RpcHeader): string {
  if (h.requestsHash) return "prague";
  if (h.parentBeaconBlockRoot || h.blobGasUsed !== undefined) return "cancun";
  if (h.withdrawalsRoot) return "shanghai";
  if (h.baseFeePerGas !== undefined && BigInt(h.difficulty) === 0n) return "paris";
  if (h.baseFeePerGas !== undefined) return "london";
  return "berlin";
}

/** One fork of an eth_config (EIP-7910) answer. */
export interface EthConfigFork {
  readonly activationTime?: number | string;
  readonly precompiles?: Record<string, string>;
  readonly systemContracts?: Record<string, string>;
  readonly blobSchedule?: { readonly max?: number | string };
}

/** The system contracts of paris..bpo2, as EIP-7910 names them. */
const KNOWN_SYSTEM_CONTRACTS = new Set([
  "BEACON_ROOTS_ADDRESS",
  "HISTORY_STORAGE_ADDRESS",
  "DEPOSIT_CONTRACT_ADDRESS",
  "WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS",
  "CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS",
]);

/**
 * The fork eth_config's current fork is (from its precompiles and blob schedule), for a block at
 * `timestamp`. Throws WitnessBuildError when that fork, active at the block, has system
 * contracts no fork up to bpo2 has (geth 1.17's plain `--dev`: Bogota's builder contracts).
 */
export function forkFromEthConfig(cfg: EthConfigFork, timestamp: bigint): string | undefined {
  const unknown = Object.keys(cfg.systemContracts ?? {}).filter((n) =>
    !KNOWN_SYSTEM_CONTRACTS.has(n.toUpperCase())
  );
  if (unknown.length && BigInt(cfg.activationTime ?? 0) <= timestamp) {
    throw new WitnessBuildError(
      `the node's current fork has system contracts (${unknown.join(", ")}) of a fork after the ` +
        "ones this prover implements (paris..bpo2): pin the node's genesis to a supported fork",
    );
  }
  const names = Object.keys(cfg.precompiles ?? {}).map((n) => n.toUpperCase());
  const max = Number(cfg.blobSchedule?.max ?? 0);
  if (names.some((n) => n.includes("P256"))) {
    if (max >= 21) return "bpo2";
    if (max >= 15) return "bpo1";
    return "osaka";
  }
  if (names.some((n) => n.includes("BLS12"))) return "prague";
  if (names.some((n) => n.includes("KZG") || n.includes("POINT_EVALUATION"))) return "cancun";
  return undefined;
}

/** The timed forks of a geth-style chain config (debug_chainConfig, genesis.json), in order. */
export const CONFIG_TIMES: readonly [string, string][] = [
  ["shanghai", "shanghaiTime"],
  ["cancun", "cancunTime"],
  ["prague", "pragueTime"],
  ["osaka", "osakaTime"],
  ["bpo1", "bpo1Time"],
  ["bpo2", "bpo2Time"],
];

/**
 * The fork a geth-style chain config runs at `timestamp`, undefined for a chain before the merge
 * (not provable here either way). Throws WitnessBuildError when a fork this prover does not
 * implement (amsterdam, bpo3, ...) is active: geth 1.17's plain `--dev` is such a chain.
 */
export function forkFromChainConfig(
  cfg: Record<string, unknown>,
  timestamp: bigint,
): string | undefined {
  const known = new Set(CONFIG_TIMES.map(([, k]) => k));
  const active = (k: string) =>
    typeof cfg[k] === "number" || typeof cfg[k] === "string" ? BigInt(cfg[k]) <= timestamp : false;
  const unknown = Object.keys(cfg).filter((k) => /Time$/.test(k) && !known.has(k) && active(k));
  if (unknown.length) {
    throw new WitnessBuildError(
      `the chain runs ${unknown.map((k) => k.replace(/Time$/, "")).join(", ")} at this block, ` +
        `a fork after the ones this prover implements (paris..bpo2): pin the node's ` +
        "genesis to a supported fork",
    );
  }
  let fork: string | undefined;
  for (const [name, key] of CONFIG_TIMES) if (active(key)) fork = name;
  if (fork) return fork;
  return cfg.terminalTotalDifficulty !== undefined && cfg.terminalTotalDifficulty !== null
    ? "paris"
    : undefined;
}

/** Detects the fork of `header`'s block on the node behind `rpc` (see the module comment). */
export async function detectFork(
  rpc: RpcClient,
  header: RpcHeader,
  override?: string,
): Promise<ForkChoice> {
  if (override) return { fork: normalizeForkName(override), source: "override" };
  try {
    const info = await rpc.request<{ hardFork?: string }>("anvil_nodeInfo", []);
    if (info?.hardFork) return { fork: normalizeForkName(info.hardFork), source: "anvil_nodeInfo" };
  } catch (e) {
    if (!(e instanceof RpcError) && !isMethodNotFound(e)) throw e;
  }
  try {
    // where a node gives its whole chain config (geth before 1.17 did): exact for any block
    const cfg = await rpc.request<Record<string, unknown>>("debug_chainConfig", []);
    const fork = cfg ? forkFromChainConfig(cfg, BigInt(header.timestamp)) : undefined;
    if (fork) return { fork, source: "debug_chainConfig" };
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
  }
  try {
    const cfg = await rpc.request<{ current?: EthConfigFork }>("eth_config", []);
    const fork = cfg?.current
      ? forkFromEthConfig(cfg.current, BigInt(header.timestamp))
      : undefined;
    // eth_config describes the head; it matches an older block only when no fork came between.
    if (fork && forkAtLeast(fork, forkFromHeader(header) as (typeof FORK_ORDER)[number])) {
      return {
        fork,
        source: "eth_config",
        note: "from the node's current fork (eth_config); pass --fork for blocks before a fork",
      };
    }
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
  }
  return {
    fork: forkFromHeader(header),
    source: "header",
    note: "guessed from header fields (a lower bound: Osaka headers look like Prague); pass --fork",
  };
}
