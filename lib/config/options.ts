/**
 * The catalogue of settings shared by subcommands, with the environment names of ethrex's
 * prover guide that operators already use. A subcommand picks the ones it needs.
 */
import { join } from "node:path";
import {
  address,
  boolean,
  durationMs,
  endpoint,
  host,
  integer,
  port,
  privateKey,
  text,
  url,
} from "./parsers.ts";
import { optional, withDefault } from "./spec.ts";

/** `$XDG_DATA_HOME/l2-prover`, else `~/.local/share/l2-prover` (as ethrex uses the data dir). */
export function defaultDataDir(): string {
  const xdg = Deno.env.get("XDG_DATA_HOME");
  const home = Deno.env.get("HOME") ?? ".";
  return join(xdg && xdg !== "" ? xdg : join(home, ".local", "share"), "l2-prover");
}

/** Settings of the TCP prover server. */
export const serverListen = {
  listenIp: withDefault(host, "127.0.0.1", {
    flag: "--listen-ip <ip>",
    env: "PROVER_SERVER_LISTEN_IP",
    description: "address the prover server listens on (0.0.0.0 to accept remote provers)",
  }),
  listenPort: withDefault(port(true), "3000", {
    flag: "--listen-port <port>",
    env: "PROVER_SERVER_LISTEN_PORT",
    description: "TCP port of the prover server (0: pick a free port)",
  }),
};

/** Where a prover client finds its server and how often it polls. */
export const clientEndpoint = {
  serverEndpoint: withDefault(endpoint, "127.0.0.1:3000", {
    flag: "--server <host:port>",
    env: "PROVER_CLIENT_PROVER_SERVER_ENDPOINT",
    description: "prover server to ask for work",
  }),
  intervalMs: withDefault(durationMs, "5000", {
    flag: "--interval <duration>",
    env: "PROVER_CLIENT_INTERVAL_MS",
    description: "wait between requests when the server has no work (ms, or 5s, 1m)",
  }),
};

/** The zkVM mode: execute only with a fake receipt, or a real proof. */
export const devMode = {
  devMode: withDefault(boolean, "1", {
    flag: "--dev-mode <0|1>",
    env: "RISC0_DEV_MODE",
    description: "1: execute in the zkVM without proving (fake receipt); 0: real proof",
  }),
};

/** The L2 node the blocks come from. */
export const l2Rpc = {
  l2Rpc: withDefault(url, "http://127.0.0.1:1729", {
    flag: "--l2-rpc <url>",
    env: "L2_RPC_URL",
    description: "JSON-RPC endpoint of the L2 node (blocks and witnesses)",
  }),
};

/** The L1 side: node, OnChainProposer, accounts. */
export const l1Settlement = {
  l1Rpc: optional(url, {
    flag: "--l1-rpc <url>",
    env: "ETH_RPC_URL",
    description: "JSON-RPC endpoint of L1 (settlement)",
  }),
  onChainProposer: optional(address, {
    flag: "--on-chain-proposer <address>",
    env: "ON_CHAIN_PROPOSER_ADDRESS",
    description: "OnChainProposer contract on L1; without it blocks are proved but not settled",
  }),
  committerAddress: optional(address, {
    flag: "--committer <address>",
    env: "COMMITTER_L1_ADDRESS",
    description: "account that commits blocks on L1 (must differ from the verifier)",
  }),
  verifierAddress: optional(address, {
    flag: "--verifier-address <address>",
    env: "PROVER_SERVER_VERIFIER_ADDRESS",
    description: "account that sends verify() to the OnChainProposer",
  }),
  verifierPrivateKey: optional(privateKey, {
    flag: "--verifier-private-key-file <path>",
    env: "PROVER_SERVER_VERIFIER_PRIVATE_KEY",
    description:
      "private key of the verifier account (env or .env only; the flag takes a file path, never the key)",
    secret: true,
    flagIsFile: true,
  }),
};

/** Where durable state lives. */
export const dataDir = {
  dataDir: withDefault(text, defaultDataDir(), {
    flag: "--data-dir <path>",
    env: "PROVER_DATA_DIR",
    description: "directory for the proof store and work files",
    defaultLabel: "$XDG_DATA_HOME/l2-prover or ~/.local/share/l2-prover",
  }),
};

/** The zkVM host binary and backend. */
export const hostBinary = {
  hostBin: optional(text, {
    flag: "--host-bin <path>",
    env: "ZKVM_HOST_BIN",
    description: "zkvm-host binary (default: zkvm/target/release/zkvm-host of this checkout)",
  }),
};

/** Parallelism knobs shared by RPC-heavy commands. */
export const rpcTuning = {
  rpcConcurrency: withDefault(integer(1, 256), "16", {
    flag: "--rpc-concurrency <n>",
    env: "RPC_CONCURRENCY",
    description: "RPC requests in flight at once while building witnesses",
  }),
};
