/** `up`: the whole system locally (`make run`): L1 and L2 nodes, contracts, committer, server, provers. */
import { join } from "node:path";
import { dataDir, hostBinary, localBackend, txGenRate } from "../../config/options.ts";
import { integer, oneOf, port } from "../../config/parsers.ts";
import { optional, withDefault } from "../../config/spec.ts";
import { chooseBackend } from "../../devnet/backend.ts";
import { runUp, summaryLine, UP_FILES } from "../../devnet/up.ts";
import { newStatus, renderView, startLiveView, viewLogger } from "../../devnet/view.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The up subcommand. */
export const up = defineCommand({
  name: "up",
  summary: "run the whole system locally: L1 + L2 nodes, contracts, committer, server, provers",
  details: "Starts an anvil L1 and an L2 (anvil, or geth --dev with --l2 geth), deploys " +
    "OnChainProposer with the mock verifier, generates L2 transactions, commits L2 batches, " +
    "proves them and verifies them on L1. On a terminal it shows a live view (the log goes to " +
    "<data-dir>/up/up.log); otherwise it logs one line per event. State lives in <data-dir>/up " +
    "(make clean-data removes it): a second run continues from what was verified. Ctrl-C stops " +
    "everything; --blocks N stops once N more L2 blocks are verified on L1.",
  options: {
    ...dataDir,
    ...hostBinary,
    ...txGenRate,
    ...localBackend,
    l2: withDefault(oneOf(["anvil", "geth"] as const), "anvil", {
      flag: "--l2 <anvil|geth>",
      env: "UP_L2",
      description: "the L2 node: anvil (proved with its quirks) or geth --dev (a spec node, " +
        "no quirks; make geth installs it)",
    }),
    l1Port: withDefault(port(true), "8545", {
      flag: "--l1-port <port>",
      env: "UP_L1_PORT",
      description: "port of the L1 anvil (a free one when taken; 0: always a free one)",
    }),
    l2Port: withDefault(port(true), "1729", {
      flag: "--l2-port <port>",
      env: "UP_L2_PORT",
      description: "port of the L2 node (a free one when taken; 0: always a free one)",
    }),
    batchSize: withDefault(integer(1, 1000), "2", {
      flag: "--batch-size <n>",
      env: "UP_BATCH_SIZE",
      description: "L2 blocks per committed batch",
    }),
    provers: withDefault(integer(1, 64), "1", {
      flag: "--provers <n>",
      env: "UP_PROVERS",
      description: "prover clients to run",
    }),
    blockTime: withDefault(integer(1, 3600), "1", {
      flag: "--block-time <seconds>",
      env: "UP_BLOCK_TIME",
      description: "seconds between L1 blocks and between L2 blocks",
    }),
    view: withDefault(oneOf(["auto", "live", "log"] as const), "auto", {
      flag: "--view <auto|live|log>",
      env: "UP_VIEW",
      description: "live: a status view redrawn in place; log: one line per event; " +
        "auto: live on a terminal",
    }),
    blocks: optional(integer(1), {
      flag: "--blocks <n>",
      description:
        "stop once this many more L2 blocks are verified on L1 (default: run until Ctrl-C)",
    }),
  },
  async run(config, { log, signal }) {
    const dir = join(config.dataDir, "up");
    const backend = await chooseBackend(config.backend, config.hostBin, log);
    const status = newStatus({
      l2Kind: config.l2,
      backend: backend.label,
      backendReason: backend.reason,
      dataDir: dir,
    }, Date.now());
    const live = config.view === "live" || (config.view === "auto" && Deno.stdout.isTerminal());
    let runLog = log;
    let stopView = () => {};
    if (live) {
      await Deno.mkdir(dir, { recursive: true });
      const logFile = join(dir, UP_FILES.log);
      const v = viewLogger(logFile, status.recent);
      runLog = v.log;
      const enc = new TextEncoder();
      const columns = () => {
        try {
          return Deno.consoleSize().columns;
        } catch {
          return 100;
        }
      };
      const view = startLiveView(
        () => renderView(status, Date.now(), columns()),
        (s) => Deno.stdout.writeSync(enc.encode(s)),
      );
      stopView = () => {
        view.stop();
        v.close();
        console.log(`log: ${logFile}`);
      };
    } else {
      log.info(`state in ${dir} (make clean-data removes it)`);
    }
    let summary;
    try {
      summary = await runUp({
        l1Port: config.l1Port,
        l2Port: config.l2Port,
        l2: config.l2,
        l2ChainId: 1729,
        dataDir: dir,
        blockTimeS: config.blockTime,
        txsPerTick: config.txsPerBlock,
        batchSize: config.batchSize,
        provers: config.provers,
        backend,
        hostBin: config.hostBin,
        targetBlocks: config.blocks,
        status,
        log: runLog,
      }, signal);
    } finally {
      stopView();
    }
    console.log(summaryLine(summary));
    return EXIT.ok;
  },
});
