/** The human summary of a verified execute run (the CLI prints it; `--json` prints the report). */
import type { HostResult } from "../host/mod.ts";
import { type ExecuteReport, mgasPerSec } from "./execute_block.ts";

/** A few lines: the block, its roots, the witness's size and RPC cost, the host's time and cycles. */
export function executeSummary(report: ExecuteReport, r: HostResult): string {
  const stats = report.witness;
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

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
