/**
 * The catalogue of settings shared by subcommands, with the environment names of ethrex's
 * prover guide that operators already use. A subcommand picks the ones it needs.
 */
import { join } from "node:path";
import {
  address,
  blockRef,
  boolean,
  bytes32,
  byteSize,
  durationMs,
  endpoint,
  host,
  integer,
  oneOf,
  port,
  privateKey,
  quirksChoice,
  text,
  url,
} from "./parsers.ts";
import { flag, optional, withDefault } from "./spec.ts";

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
  requestTimeout: withDefault(durationMs, "2m", {
    flag: "--request-timeout <duration>",
    env: "PROVER_CLIENT_REQUEST_TIMEOUT",
    description: "deadline for the server's answer to a request for work (a Submit gets 10 min); " +
      "a silent server is logged and retried",
  }),
};

/**
 * The zkVM mode, one setting for both sides as risc0 means it: 1 is dev mode (clients execute
 * without proving and return a fake receipt; the server and `deploy` take such receipts and
 * mock seals, as a devnet's mock verifier does); 0, risc0's default, is real proofs only.
 */
export const devMode = {
  devMode: withDefault(boolean, "0", {
    flag: "--dev-mode <0|1>",
    env: "RISC0_DEV_MODE",
    description:
      "1: dev mode (clients execute in the zkVM without proving; the server accepts those fake receipts); 0: real proofs only",
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

/** Which spec deviations of the L2 node the executor reproduces (lib/witness/quirks.ts). */
export const l2Quirks = {
  quirks: withDefault(quirksChoice, "auto", {
    flag: "--quirks <auto|none|name,…>",
    env: "L2_QUIRKS",
    description:
      "node spec deviations the executor reproduces; auto: by web3_clientVersion, 'anvil' on anvil, none on geth, reth, ethrex and others",
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
    description:
      "OnChainProposer contract on L1: prover-server proves the batches committed there and sends verifyBatches; without it blocks are proved but not settled",
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

/** How L1 transactions are sent and when they count (lib/l1). */
export const l1Tx = {
  l1Confirmations: withDefault(integer(1, 1000), "1", {
    flag: "--l1-confirmations <n>",
    env: "L1_CONFIRMATIONS",
    description: "blocks on top of an L1 transaction's block (1: included) before it counts",
  }),
  l1FeeBumpAfter: withDefault(durationMs, "60s", {
    flag: "--l1-fee-bump-after <duration>",
    env: "L1_FEE_BUMP_AFTER",
    description: "an L1 transaction unmined this long is re-sent with 25 % higher fees",
  }),
  l1MaxFeeGwei: optional(integer(1, 100_000), {
    flag: "--l1-max-fee-gwei <gwei>",
    env: "L1_MAX_FEE_GWEI",
    description: "cap of maxFeePerGas of L1 transactions, fee bumps included (gwei; default none)",
  }),
};

/** {@link l1Tx}'s settings as L1Client.connect takes them (the fee cap in wei). */
export function l1TxPolicy(c: {
  readonly l1Confirmations: number;
  readonly l1FeeBumpAfter: number;
  readonly l1MaxFeeGwei?: number;
}): { confirmations: number; bumpAfterMs: number; maxFeePerGasCap: bigint | undefined } {
  return {
    confirmations: c.l1Confirmations,
    bumpAfterMs: c.l1FeeBumpAfter,
    maxFeePerGasCap: c.l1MaxFeeGwei === undefined ? undefined : BigInt(c.l1MaxFeeGwei) * 10n ** 9n,
  };
}

/** How prover-server batches its verifyBatches transactions. */
export const settlementTuning = {
  maxBatchesPerTx: withDefault(integer(1, 1000), "16", {
    flag: "--max-batches-per-verify <n>",
    env: "PROVER_SERVER_MAX_BATCHES_PER_VERIFY",
    description: "most consecutive proved batches sent in one verifyBatches transaction",
  }),
};

/** The committer account's key (the dev committer; in production the L2's sequencer commits). */
export const committerKey = {
  committerPrivateKey: optional(privateKey, {
    flag: "--committer-private-key-file <path>",
    env: "COMMITTER_L1_PRIVATE_KEY",
    description:
      "private key of the committer account (env or .env only; the flag takes a file path, never the key)",
    secret: true,
    flagIsFile: true,
  }),
};

/** The `deploy` subcommand's settings (names of ethrex's deployer where it has them). */
export const l1Deploy = {
  deployerPrivateKey: optional(privateKey, {
    flag: "--deployer-private-key-file <path>",
    env: "DEPLOYER_PRIVATE_KEY",
    description:
      "private key of the deployer, who owns the OnChainProposer (env or .env only; the flag takes a file path)",
    secret: true,
    flagIsFile: true,
  }),
  verifierContract: optional(address, {
    flag: "--verifier-contract <address>",
    env: "DEPLOYER_CONTRACT_VERIFIER",
    description:
      "risc0 verifier router on L1 (Sepolia: 0x925d8331ddc0a1F0d96E68CF073DFE1d92b69187); unset on a local chain: deploy the mock verifier behind a router",
  }),
  genesisBlock: withDefault(blockRef, "0", {
    flag: "--genesis-block <n|latest>",
    env: "DEPLOYER_GENESIS_BLOCK",
    description: "L2 block batch 0 ends at (its hash and state root start the chain of batches)",
  }),
  imageId: optional(bytes32, {
    flag: "--image-id <0x..>",
    env: "DEPLOYER_IMAGE_ID",
    description:
      "guest image id the contract accepts (default: zkvm/guest/out/image-id.txt, else the zero id of the exec backend)",
  }),
  writeEnv: optional(text, {
    flag: "--write-env <path>",
    description: "also set the deployment's variables in this dotenv file (e.g. .env)",
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
    description:
      "zkvm-host binary (default: the one next to a compiled l2-prover, else zkvm/target/release/zkvm-host of this checkout)",
  }),
};

/** Knobs of real proofs, which zkvm-host reads from its environment (docs/zkvm-host.md). */
export const proving = {
  segmentPo2: optional(integer(14, 22), {
    flag: "--segment-po2 <n>",
    env: "ZKVM_SEGMENT_PO2",
    description:
      "segment size of real proofs, log2 of cycles per segment (risc0's default 20; 22 kept an H200 busier)",
  }),
  bonsaiApiUrl: optional(url, {
    flag: "--bonsai-api-url <url>",
    env: "BONSAI_API_URL",
    description: "prove on Bonsai, with BONSAI_API_KEY (zkvm-host built with HOST_FEATURES=bonsai)",
  }),
  bonsaiApiKey: optional(text, {
    flag: "--bonsai-api-key-file <path>",
    env: "BONSAI_API_KEY",
    description: "Bonsai API key (env or .env only; the flag takes a file path, never the key)",
    secret: true,
    flagIsFile: true,
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

/** How the prover server schedules blocks and bounds what clients send. */
export const serverJobs = {
  fromBlock: withDefault(integer(1), "1", {
    flag: "--from-block <n>",
    env: "PROVER_SERVER_FROM_BLOCK",
    description: "without an OnChainProposer: prove the L2's blocks from this one on",
  }),
  batchSize: withDefault(integer(1, 10_000), "1", {
    flag: "--batch-size <n>",
    env: "PROVER_SERVER_BATCH_SIZE",
    description: "without an OnChainProposer: L2 blocks per batch (one proof, one L1 verification)",
  }),
  batchTimeout: withDefault(durationMs, "30s", {
    flag: "--batch-timeout <duration>",
    env: "PROVER_SERVER_BATCH_TIMEOUT",
    description: "without an OnChainProposer: longest wait for a partial batch at the L2 head " +
      "to fill before it is proved as it is",
  }),
  prefetch: withDefault(integer(1, 1024), "4", {
    flag: "--prefetch <n>",
    env: "PROVER_SERVER_PREFETCH",
    description: "prover inputs built ahead of demand, waiting for a client",
  }),
  proverTimeout: withDefault(durationMs, "10m", {
    flag: "--prover-timeout <duration>",
    env: "PROVER_SERVER_PROVER_TIMEOUT",
    description: "lease of a handed-out batch: after it, the batch is handed to another client",
  }),
  unprovableAfter: withDefault(integer(1, 1000), "3", {
    flag: "--unprovable-after <n>",
    env: "PROVER_SERVER_UNPROVABLE_AFTER",
    description: "reports of an invalid block or bad input (one per hand-out) after which a " +
      "batch is set aside as unprovable",
  }),
  pollInterval: withDefault(durationMs, "1s", {
    flag: "--poll-interval <duration>",
    env: "PROVER_SERVER_POLL_INTERVAL",
    description: "how often the L2 is asked for new blocks",
  }),
  maxMessageSize: withDefault(byteSize, "256MiB", {
    flag: "--max-message-size <size>",
    env: "PROVER_SERVER_MAX_MESSAGE_SIZE",
    description: "largest message a client may send (a Submit with its receipt)",
  }),
  readTimeout: withDefault(durationMs, "60s", {
    flag: "--read-timeout <duration>",
    env: "PROVER_SERVER_READ_TIMEOUT",
    description: "deadline for a client to send its whole message",
  }),
  maxConnections: withDefault(integer(1, 65536), "256", {
    flag: "--max-connections <n>",
    env: "PROVER_SERVER_MAX_CONNECTIONS",
    description: "client connections served at once (each may buffer up to --max-message-size)",
  }),
  acceptExecProofs: flag({
    flag: "--accept-exec-proofs",
    env: "PROVER_SERVER_ACCEPT_EXEC_PROOFS",
    description:
      "accept exec-backend results, whose mock seal proves nothing (dev and devnet only)",
    parser: boolean,
  }),
  portFile: optional(text, {
    flag: "--port-file <path>",
    description: "write the bound TCP port to this file once listening (with --listen-port 0)",
  }),
};

/** The shared token the prover server requires, if any. */
export const serverAuth = {
  authToken: optional(text, {
    flag: "--auth-token-file <path>",
    env: "PROVER_SERVER_AUTH_TOKEN",
    description: "require this token from clients (env or .env; the flag takes a file path)",
    secret: true,
    flagIsFile: true,
  }),
};

/** The token a prover client sends, if its server requires one. */
export const clientAuth = {
  authToken: optional(text, {
    flag: "--auth-token-file <path>",
    env: "PROVER_CLIENT_AUTH_TOKEN",
    description: "token the prover server requires (env or .env; the flag takes a file path)",
    secret: true,
    flagIsFile: true,
  }),
};

/** The Prometheus /metrics and JSON /status endpoint. */
export const metricsEndpoint = {
  metricsPort: optional(port(true), {
    flag: "--metrics-port <port>",
    env: "PROVER_SERVER_METRICS_PORT",
    description: "serve /metrics (Prometheus) and /status (JSON) on this port; off when unset",
  }),
  metricsIp: withDefault(host, "127.0.0.1", {
    flag: "--metrics-ip <ip>",
    env: "PROVER_SERVER_METRICS_IP",
    description: "address of the metrics endpoint",
  }),
};

/** The transaction generator of local runs (up, devnet). */
export const txGenRate = {
  txsPerBlock: withDefault(integer(0, 1000), "6", {
    flag: "--txs-per-block <n>",
    env: "DEVNET_TXS_PER_BLOCK",
    description: "transactions the generator sends per block time: ETH and ERC-20 transfers, " +
      "storage-heavy calls, contract creations, in turn",
  }),
};

/** Which backend the provers of local runs (up, devnet) use. */
export const localBackend = {
  backend: withDefault(oneOf(["auto", "exec", "risc0"] as const), "auto", {
    flag: "--backend <auto|exec|risc0>",
    env: "DEVNET_BACKEND",
    description:
      "local provers' backend: risc0 (dev mode), exec, or auto (risc0 when zkvm-host has it and the guest is built)",
  }),
};

/** Which zkVM host backend proves. */
export const proverBackend = {
  backend: withDefault(oneOf(["exec", "risc0"] as const), "risc0", {
    flag: "--backend <exec|risc0>",
    env: "PROVER_CLIENT_BACKEND",
    description:
      "exec: run the batch natively (mock seal, no proof: dev only); risc0: prove in the zkVM",
  }),
};
