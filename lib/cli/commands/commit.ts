/** `commit`: the dev committer (local runs, tests); in production the L2's sequencer commits. */
import { ConfigError } from "../../config/errors.ts";
import { committerKey, l1Settlement, l1Tx, l1TxPolicy, l2Rpc } from "../../config/options.ts";
import { durationMs, integer } from "../../config/parsers.ts";
import { withDefault } from "../../config/spec.ts";
import { Committer } from "../../committer/committer.ts";
import { L1Client } from "../../l1/client.ts";
import { RpcClient } from "../../rpc/mod.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The commit subcommand. */
export const commit = defineCommand({
  name: "commit",
  summary: "dev committer: follow the L2 head and commit its batches to the OnChainProposer",
  details: "Commits full batches of --batch-size blocks as soon as the L2 has them, and a " +
    "partial batch once its oldest block waited --max-batch-wait. Resumes from L1's " +
    "lastCommittedBatch. For local chains and tests; an L2's own sequencer commits in production.",
  options: {
    ...l1Settlement,
    ...committerKey,
    ...l1Tx,
    ...l2Rpc,
    batchSize: withDefault(integer(1, 10_000), "10", {
      flag: "--commit-batch-size <n>",
      env: "COMMITTER_BATCH_SIZE",
      description: "L2 blocks per committed batch",
    }),
    maxBatchWait: withDefault(durationMs, "30s", {
      flag: "--max-batch-wait <duration>",
      env: "COMMITTER_MAX_BATCH_WAIT",
      description: "commit a partial batch once its oldest block has waited this long",
    }),
    pollInterval: withDefault(durationMs, "1s", {
      flag: "--poll-interval <duration>",
      env: "COMMITTER_POLL_INTERVAL",
      description: "how often the L2 head is read",
    }),
  },
  async run(config, { log, signal }) {
    if (!config.l1Rpc) throw new ConfigError("--l1-rpc or ETH_RPC_URL", "is required by commit");
    if (!config.onChainProposer) {
      throw new ConfigError(
        "ON_CHAIN_PROPOSER_ADDRESS",
        "is required by commit (run deploy first)",
      );
    }
    if (!config.committerPrivateKey) {
      throw new ConfigError("COMMITTER_L1_PRIVATE_KEY", "is required by commit");
    }
    const l1 = await L1Client.connect({
      url: config.l1Rpc,
      privateKey: config.committerPrivateKey,
      ...l1TxPolicy(config),
      log: log.child("l1"),
    });
    const committer = new Committer({
      l1,
      proposer: config.onChainProposer,
      l2: new RpcClient(config.l2Rpc, { signal }),
      batchSize: config.batchSize,
      maxWaitMs: config.maxBatchWait,
      pollMs: config.pollInterval,
      log,
    });
    log.info(`committing L2 batches of ${config.batchSize} blocks to ${config.onChainProposer}`, {
      committer: l1.address,
    });
    await committer.run(signal);
    return EXIT.ok;
  },
});
