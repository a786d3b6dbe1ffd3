/** `deploy`: puts the settlement contracts on L1 and prints (or writes) their `.env` lines. */
import { privateKeyToAddress } from "viem/accounts";
import { ConfigError } from "../../config/errors.ts";
import {
  committerKey,
  devMode,
  hostBinary,
  l1Deploy,
  l1Settlement,
  l1Tx,
  l1TxPolicy,
  l2Quirks,
  l2Rpc,
} from "../../config/options.ts";
import { defaultHostBin } from "../../host/bin.ts";
import { L1Client } from "../../l1/client.ts";
import { deploymentEnvLines, deploySettlement, writeEnvLines } from "../../l1/deployment.ts";
import { RpcClient } from "../../rpc/mod.ts";
import { defineCommand, EXIT } from "../command.ts";
import { VerifierMismatchError } from "../../l1/verifier_check.ts";

/** The deploy subcommand. */
export const deploy = defineCommand({
  name: "deploy",
  summary: "deploy OnChainProposer (and locally risc0's mock verifier behind a router) to L1",
  details: "Reads the L2's chain id, genesis block and rules (fork, quirks) from --l2-rpc, " +
    "checks that the verifier routes the seals this host makes (RISC0_DEV_MODE=1: mock, 0: " +
    "Groth16), deploys, and prints ON_CHAIN_PROPOSER_ADDRESS=… lines for .env (--write-env " +
    "sets them in a file).",
  options: {
    ...l1Settlement,
    ...committerKey,
    ...l1Deploy,
    ...l1Tx,
    ...l2Rpc,
    ...l2Quirks,
    ...devMode,
    ...hostBinary,
  },
  async run(config, { log, signal }) {
    if (!config.l1Rpc) throw new ConfigError("--l1-rpc or ETH_RPC_URL", "is required by deploy");
    if (!config.deployerPrivateKey) {
      throw new ConfigError(
        "DEPLOYER_PRIVATE_KEY",
        "is required by deploy (env, .env, or --deployer-private-key-file)",
      );
    }
    const committer = config.committerAddress ??
      (config.committerPrivateKey && privateKeyToAddress(config.committerPrivateKey));
    const verifierAccount = config.verifierAddress ??
      (config.verifierPrivateKey && privateKeyToAddress(config.verifierPrivateKey));
    if (!committer) {
      throw new ConfigError(
        "COMMITTER_L1_ADDRESS",
        "is required by deploy (or COMMITTER_L1_PRIVATE_KEY)",
      );
    }
    if (!verifierAccount) {
      throw new ConfigError(
        "PROVER_SERVER_VERIFIER_ADDRESS",
        "is required by deploy (or PROVER_SERVER_VERIFIER_PRIVATE_KEY)",
      );
    }
    const l1 = await L1Client.connect({
      url: config.l1Rpc,
      privateKey: config.deployerPrivateKey,
      ...l1TxPolicy(config),
      log: log.child("l1"),
    });
    const l2 = new RpcClient(config.l2Rpc, { signal });
    let d;
    try {
      d = await deploySettlement({
        l1,
        l2,
        committer,
        verifierAccount,
        verifier: config.verifierContract,
        sealKind: config.devMode ? "mock" : "groth16",
        imageId: config.imageId,
        hostBin: config.hostBin ?? defaultHostBin(),
        genesisBlock: config.genesisBlock === "latest" ? "latest" : Number(config.genesisBlock),
        quirks: config.quirks,
        log,
      });
    } catch (e) {
      if (e instanceof VerifierMismatchError) {
        log.error(e.message);
        return EXIT.config;
      }
      throw e;
    }
    const lines = deploymentEnvLines(d);
    if (config.writeEnv) {
      await writeEnvLines(config.writeEnv, lines);
      log.info(`wrote the deployment's variables to ${config.writeEnv}`);
    }
    console.log(lines.join("\n"));
    return EXIT.ok;
  },
});
