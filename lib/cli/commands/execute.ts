/**
 * `execute`: builds the prover input of one L2 block from a node (or reads a saved one) and runs
 * it through the zkVM host; exit 0 only when the host verified the block.
 */
import type { Hex } from "viem";
import { blockRef, boolean, oneOf, text, url } from "../../config/parsers.ts";
import { devMode, hostBinary, l2Quirks, rpcTuning } from "../../config/options.ts";
import { flag, optional, withDefault } from "../../config/spec.ts";
import {
  BackendUnavailableError,
  HostAbortedError,
  HostBadInputError,
  HostError,
  type HostProgress,
  type HostResult,
  InvalidBlockError,
  runHost,
} from "../../host/mod.ts";
import {
  InputDecodeError,
  type ProverInput,
  readProverInput,
  writeProverInput,
} from "../../input/mod.ts";
import { RpcClient } from "../../rpc/mod.ts";
import { RpcError, RpcTransportError } from "../../rpc/errors.ts";
import {
  BlockNotFoundError,
  buildProverInput,
  WitnessBuildError,
  type WitnessStats,
} from "../../witness/mod.ts";
import { blockRlpHash, blockRlpTxCount } from "../../witness/rlp.ts";
import { type WitnessRoots, witnessRoots } from "../../witness/verify.ts";
import { defineCommand, EXIT } from "../command.ts";

const options = {
  rpc: withDefault(url, "http://127.0.0.1:1729", {
    flag: "--rpc <url>",
    env: "L2_RPC_URL",
    description: "JSON-RPC endpoint of the L2 node the block comes from (unused with --input)",
  }),
  block: withDefault(blockRef, "latest", {
    flag: "--block <n|latest>",
    env: "EXECUTE_BLOCK",
    description: "block to execute",
  }),
  backend: withDefault(oneOf(["exec", "risc0"] as const), "exec", {
    flag: "--backend <exec|risc0>",
    env: "ZKVM_BACKEND",
    description: "exec: run the executor natively; risc0: run the guest in the zkVM",
  }),
  ...devMode,
  ...hostBinary,
  ...rpcTuning,
  input: optional(text, {
    flag: "--input <file>",
    description: "execute a saved prover input instead of building one (no RPC needed)",
  }),
  saveInput: optional(text, {
    flag: "--save-input <file>",
    description: "write the prover input built from the node to this file",
  }),
  fork: optional(text, {
    flag: "--fork <name>",
    env: "L2_FORK",
    description: "fork the block runs under (cancun, prague, osaka, bpo1…); default: detected",
  }),
  ...l2Quirks,
  witnessFromProofs: flag({
    flag: "--witness-from-proofs",
    description:
      "build the witness from traces and eth_getProof even where debug_executionWitness exists",
    parser: boolean,
  }),
  checkWitness: flag({
    flag: "--check-witness",
    description:
      "also recompute the post-state root from the witness in TypeScript (the node's way and the spec's), to tell a witness problem from an executor one",
    parser: boolean,
  }),
  json: flag({
    flag: "--json",
    description: "print one JSON object (block, roots, stats) instead of a summary",
    parser: boolean,
  }),
};

/** The execute subcommand. */
export const execute = defineCommand({
  name: "execute",
  summary: "build one block's prover input from a node and execute it statelessly in the zkVM host",
  details: "Exit codes: 0 the host verified the block; 2 bad input or configuration; 3 the block " +
    "is invalid (the host's error code is printed); 4 the backend is unavailable; 1 other failures.",
  options,
  async run(cfg, { log, signal }) {
    const started = performance.now();
    let input: ProverInput;
    let stats: WitnessStats | undefined;
    let check: WitnessRoots | undefined;
    try {
      if (cfg.input) {
        input = await readProverInput(cfg.input);
      } else {
        if (/^wss?:/i.test(cfg.rpc)) {
          return fail(cfg.json, {
            exitCode: EXIT.config,
            kind: "bad_input",
            message: "--rpc: WebSocket endpoints are not supported; give the node's http(s) URL",
          });
        }
        const rpc = new RpcClient(cfg.rpc, { concurrency: cfg.rpcConcurrency, signal });
        const n = cfg.block === "latest"
          ? BigInt(await rpc.request<Hex>("eth_blockNumber", []))
          : cfg.block;
        log.info(`building the prover input of block ${n}`, { rpc: rpc.displayUrl });
        ({ input, stats } = await buildProverInput(rpc, n, {
          fork: cfg.fork,
          useExecutionWitness: !cfg.witnessFromProofs,
          quirks: cfg.quirks,
          log,
        }));
        if (cfg.checkWitness) {
          check = await witnessRoots(rpc, n, input);
          const spec = check.canonical === check.header
            ? "the same"
            : `${check.canonical} (the node deviates from the spec)`;
          log.info(
            `witness check: the node's root ${
              check.node === check.header ? "is reproduced" : "is NOT reproduced"
            }; the spec's root is ${spec}`,
          );
          if (check.node !== check.header) {
            return fail(cfg.json, {
              exitCode: EXIT.failure,
              kind: "witness",
              message:
                `the witness does not reproduce block ${n}'s state root (header ${check.header}, ` +
                `witness ${check.node}): a witness-builder problem, not an executor one; please report it`,
            });
          }
        }
        if (cfg.saveInput) {
          await writeProverInput(cfg.saveInput, input);
          log.info(`prover input saved to ${cfg.saveInput}`);
        }
      }
    } catch (e) {
      return fail(cfg.json, inputFailure(e));
    }
    if (cfg.input && cfg.fork && cfg.fork !== input.fork) input = { ...input, fork: cfg.fork };

    let result: HostResult;
    const hostStarted = performance.now();
    try {
      result = await runHost({
        input,
        backend: cfg.backend,
        devMode: cfg.devMode,
        hostBin: cfg.hostBin,
        signal,
        onProgress: (ev) => logProgress(log.debug.bind(log), ev),
      });
    } catch (e) {
      return fail(cfg.json, hostFailure(e), blockFacts(input));
    }
    const hostMs = performance.now() - hostStarted;
    const report = {
      ok: true,
      blockNumber: result.block.number,
      blockHash: result.block.hash,
      parentHash: result.block.parentHash,
      preStateRoot: result.block.preStateRoot,
      postStateRoot: result.block.postStateRoot,
      chainId: result.block.chainId,
      fork: input.fork,
      txs: result.block.txCount,
      gasUsed: result.block.gasUsed,
      backend: result.backend,
      mode: result.mode,
      imageId: result.imageId,
      journal: result.journal,
      host: {
        wallMs: round(result.wallMs),
        processMs: round(hostMs),
        phases: result.phases,
        cycles: result.cycles,
        segments: result.segments,
        mgasPerSec: mgasPerSec(result),
      },
      witness: stats,
      witnessCheck: check,
      totalMs: round(performance.now() - started),
    };
    if (cfg.json) console.log(JSON.stringify(report));
    else console.log(summary(report, stats, result));
    return EXIT.ok;
  },
});

interface Failure {
  readonly exitCode: number;
  readonly kind: string;
  readonly code?: string;
  readonly message: string;
}

function inputFailure(e: unknown): Failure {
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

function hostFailure(e: unknown): Failure {
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

function fail(json: boolean, f: Failure, facts?: Record<string, unknown>): number {
  if (json) {
    console.log(
      JSON.stringify({
        ok: false,
        ...facts,
        error: { kind: f.kind, code: f.code, message: f.message },
        exitCode: f.exitCode,
      }),
    );
  } else {
    console.error(`error: ${f.message}`);
  }
  return f.exitCode;
}

function blockFacts(input: ProverInput): Record<string, unknown> {
  try {
    return {
      blockHash: blockRlpHash(input.block),
      txs: blockRlpTxCount(input.block),
      fork: input.fork,
    };
  } catch {
    return {};
  }
}

function logProgress(
  debug: (msg: string, fields?: Record<string, unknown>) => void,
  ev: HostProgress,
) {
  const { event, ...rest } = ev as Record<string, unknown>;
  debug(`host ${String(event)}`, rest);
}

function mgasPerSec(r: HostResult): number | null {
  const ms = r.phases.executeMs ?? r.wallMs;
  return ms > 0 ? round(r.block.gasUsed / 1000 / ms) : null;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function summary(
  report: {
    blockNumber: number;
    blockHash: string;
    chainId: number;
    fork: string;
    txs: number;
    gasUsed: number;
    preStateRoot: string;
    postStateRoot: string;
    totalMs: number;
  },
  stats: WitnessStats | undefined,
  r: HostResult,
): string {
  const lines = [
    `block ${report.blockNumber} ${report.blockHash} (chain ${report.chainId}, ${report.fork}): verified by the ${r.backend} backend (${r.mode})`,
    `  txs ${report.txs}, gas ${report.gasUsed.toLocaleString("en-US")}` +
    (mgasPerSec(r) !== null ? `, ${mgasPerSec(r)} Mgas/s executing` : ""),
    `  pre-state root  ${report.preStateRoot}`,
    `  post-state root ${report.postStateRoot}`,
  ];
  if (stats) {
    const w = stats.witness;
    lines.push(
      `  witness (${stats.source}): ${w.stateNodes} trie nodes ${
        kib(w.stateBytes)
      }, ${w.codes} codes ${kib(w.codeBytes)}, ` +
        `${w.headers} headers ${kib(w.headerBytes)}, input ${kib(w.jsonBytes)}`,
      `  rpc: ${stats.rpc.calls} calls in ${stats.rpc.httpRequests} requests, ${
        kib(stats.rpc.bytesSent)
      } sent, ` +
        `${kib(stats.rpc.bytesReceived)} received${
          stats.rpc.retries ? `, ${stats.rpc.retries} retries` : ""
        }`,
      `  witness time: ${
        Object.entries(stats.phases).map(([p, s]) => `${p} ${Math.round(s.ms)} ms`).join(", ")
      }; ` +
        `total ${Math.round(stats.totalMs)} ms`,
    );
  }
  const hostPhases = Object.entries(r.phases).map(([p, ms]) =>
    `${p.replace(/Ms$/, "")} ${round(ms)} ms`
  ).join(", ");
  lines.push(
    `  host: ${round(r.wallMs)} ms${hostPhases ? ` (${hostPhases})` : ""}` +
      (r.cycles.total !== null
        ? `, ${r.cycles.total.toLocaleString("en-US")} cycles, ${r.segments} segments`
        : ""),
  );
  lines.push(`  total ${Math.round(report.totalMs)} ms`);
  return lines.join("\n");
}
