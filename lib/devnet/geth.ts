/**
 * Starts a real geth in dev mode (`make geth` installs the pinned one into .work/bin) on free
 * loopback ports, with its own temporary data directory, and stops it by PID. A spec node: the
 * end-to-end tests prove its blocks with no quirks, through debug_executionWitness and through
 * traces + eth_getProof.
 */
import { mnemonicToAccount } from "viem/accounts";
import { spawnNode, superviseNode, untilListening } from "./node_process.ts";
import { CONFIG_TIMES } from "../witness/fork.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running geth node. */
export interface GethNode extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything geth printed so far (for test failure messages). */
  output(): string;
  /** Stops the node (SIGTERM, then SIGKILL after a grace period) and removes its datadir. */
  stop(): Promise<void>;
}

/** Options for {@link startGeth}. */
export interface GethOptions {
  /**
   * The fork the chain runs (DESIGN spelling, paris..bpo2; default osaka): geth's dev genesis
   * pinned to it. Plain `geth --dev` (1.17) activates forks after Osaka that the executor does
   * not implement, so the harness never runs it unpinned.
   */
  readonly fork?: string;
  /**
   * Genesis balances (wei); default {@link ANVIL_DEV_ALLOC}. geth's own dev account (eth_accounts)
   * holds nothing on a pinned genesis: it only seals.
   */
  readonly alloc?: Readonly<Record<string, bigint>>;
  /** Block gas limit of the genesis (default 60M). */
  readonly gasLimit?: bigint;
  /** Seconds between blocks (`--dev.period`); 0 (default): a block whenever transactions wait. */
  readonly periodS?: number;
  /** Extra geth arguments. */
  readonly args?: readonly string[];
  /** How long to wait for geth to listen. */
  readonly startTimeoutMs?: number;
  /** geth binary; default: .work/bin/geth of this checkout, else `geth` on PATH. */
  readonly bin?: string;
  /** A data directory to keep (up's persistent L2); default: a temporary one, removed on stop. */
  readonly datadir?: string;
  /** In a session of its own, out of reach of a terminal's Ctrl-C (see spawnNode). */
  readonly ownSession?: boolean;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * anvil's default dev accounts (its well-known mnemonic, indices 0..9) with 1 000 000 ETH each:
 * what anvil funds, so tools written for anvil (transaction generator, scenario chain) run
 * unchanged on geth. Dev chains only: the keys are public.
 */
export const ANVIL_DEV_ALLOC: Readonly<Record<string, bigint>> = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [
    mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: i,
    }).address,
    10n ** 24n,
  ]),
);

/** The geth binary this checkout uses (`make geth`), or undefined when there is none. */
export function gethBin(): string | undefined {
  const local = join(REPO_ROOT, ".work", "bin", "geth");
  try {
    Deno.statSync(local);
    return local;
  } catch {
    try {
      const r = new Deno.Command("geth", { args: ["version"], stdout: "null", stderr: "null" })
        .outputSync();
      return r.success ? "geth" : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The forks a pinned dev genesis can run, in order, with the genesis key that activates each. */
const FORK_TIMES: readonly [string, string | undefined][] = [["paris", undefined], ...CONFIG_TIMES];

/** Mainnet's blob schedule (EIP-7840, EIP-7892) of each blob fork. */
const BLOB_SCHEDULE: Record<
  string,
  { target: number; max: number; baseFeeUpdateFraction: number }
> = {
  cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 },
  prague: { target: 6, max: 9, baseFeeUpdateFraction: 5007716 },
  osaka: { target: 6, max: 9, baseFeeUpdateFraction: 5007716 },
  bpo1: { target: 10, max: 15, baseFeeUpdateFraction: 8346193 },
  bpo2: { target: 14, max: 21, baseFeeUpdateFraction: 11684671 },
};

/** The forks {@link startGeth} can pin, oldest first. */
export const GETH_FORKS: readonly string[] = FORK_TIMES.map(([f]) => f);

/**
 * geth's own dev genesis (`geth --dev dumpgenesis`: its system contracts and precompile
 * balances) with every fork after `fork` switched off and `alloc` added.
 */
export async function gethDevGenesis(
  bin: string,
  fork: string,
  alloc: Readonly<Record<string, bigint>> = {},
  gasLimit = 60_000_000n,
): Promise<Record<string, unknown>> {
  const last = GETH_FORKS.indexOf(fork);
  if (last === -1) throw new Error(`geth dev chains run ${GETH_FORKS.join(", ")}; not ${fork}`);
  const out = await new Deno.Command(bin, {
    args: ["--dev", "dumpgenesis"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`geth --dev dumpgenesis failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const genesis = JSON.parse(new TextDecoder().decode(out.stdout));
  const config = genesis.config as Record<string, unknown>;
  // every timed fork key goes (later forks such as amsterdam, bogota, bpo3..), then the
  // chosen ones come back at time 0
  for (const key of Object.keys(config)) if (/Time$/.test(key)) delete config[key];
  const active = FORK_TIMES.slice(0, last + 1);
  for (const [, key] of active) if (key) config[key] = 0;
  const schedule: Record<string, unknown> = {};
  for (const [f] of active) if (BLOB_SCHEDULE[f]) schedule[f] = BLOB_SCHEDULE[f];
  if (Object.keys(schedule).length) config.blobSchedule = schedule;
  else delete config.blobSchedule;
  genesis.gasLimit = `0x${gasLimit.toString(16)}`;
  for (const [addr, wei] of Object.entries(alloc)) {
    genesis.alloc[addr.toLowerCase().replace(/^0x/, "")] = { balance: `0x${wei.toString(16)}` };
  }
  return genesis;
}

/**
 * Starts `geth --dev` on 127.0.0.1 (HTTP on a port it picks; auth RPC, p2p and IPC off), its
 * datadir initialised (`geth init`) with {@link gethDevGenesis} for `opts.fork`.
 */
export async function startGeth(opts: GethOptions = {}): Promise<GethNode> {
  const bin = opts.bin ?? gethBin();
  if (!bin) throw new Error("no geth: run `make geth` (installs the pinned geth into .work/bin)");
  const datadir = opts.datadir ?? await Deno.makeTempDir({ prefix: "l2-prover-geth-" });
  // a kept datadir (up's persistent L2) is initialised once; a second `geth init` would not
  // change its chain, and one made by plain --dev (later forks) is refused by fork detection
  const initialised = opts.datadir !== undefined &&
    await Deno.stat(join(datadir, "geth", "chaindata")).then(() => true, () => false);
  if (!initialised) {
    try {
      const genesis = await gethDevGenesis(
        bin,
        opts.fork ?? "osaka",
        opts.alloc ?? ANVIL_DEV_ALLOC,
        opts.gasLimit,
      );
      await Deno.mkdir(datadir, { recursive: true });
      const file = join(datadir, "genesis.json");
      await Deno.writeTextFile(file, JSON.stringify(genesis));
      const init = await new Deno.Command(bin, {
        args: ["init", "--datadir", datadir, file],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!init.success) {
        throw new Error(`geth init failed: ${new TextDecoder().decode(init.stderr).slice(-2000)}`);
      }
    } catch (e) {
      if (!opts.datadir) await Deno.remove(datadir, { recursive: true }).catch(() => {});
      throw e;
    }
  }
  const args = [
    "--dev",
    "--dev.period",
    String(opts.periodS ?? 0),
    // the miner's target; the genesis sets the first block's limit
    "--dev.gaslimit",
    String(opts.gasLimit ?? 60_000_000n),
    "--datadir",
    datadir,
    "--http",
    "--http.addr",
    "127.0.0.1",
    "--http.port",
    "0",
    "--http.api",
    "eth,debug,net,web3,txpool",
    // the engine API is not used in dev mode: keep it on loopback on a free port
    "--authrpc.addr",
    "127.0.0.1",
    "--authrpc.port",
    "0",
    "--ipcdisable",
    "--nodiscover",
    "--maxpeers",
    "0",
    "--port",
    "0",
    "--verbosity",
    "3",
    ...(opts.args ?? []),
  ];
  const child = spawnNode(bin, args, opts.ownSession);
  // a temporary datadir goes with the node; a kept one (up's L2) stays
  const { portSeen, output, stop } = superviseNode(
    child,
    /HTTP server started\s+endpoint=127\.0\.0\.1:(\d+)/,
    5000,
    () =>
      opts.datadir ? Promise.resolve() : Deno.remove(datadir, { recursive: true }).catch(() => {}),
  );
  const { url, port } = await untilListening({
    name: "geth",
    child,
    portSeen,
    output,
    stop,
    timeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  return { url, port, pid: child.pid, output, stop, [Symbol.asyncDispose]: stop };
}
