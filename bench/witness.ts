/**
 * Witness benchmark (a measurement, not a test): per block, the time and RPC cost of building its
 * prover input, the witness size, and the native execution time and Mgas/s of zkvm-host (exec).
 * Prints a table and writes a JSON report under bench-reports/.
 *
 *   deno run -A bench/witness.ts [--forks default,prague,cancun] [--runs 3]
 *   deno run -A bench/witness.ts --rpc http://127.0.0.1:8545 --blocks 100-110
 *   deno run -A bench/witness.ts --check   # also time the TypeScript witness check (witnessRoots)
 *
 * Without --rpc it mines the scenario blocks of tests/scenarios on a fresh anvil per fork.
 */
import { parseArgs } from "node:util";
import { defaultHostBin, hostBinExists, runHost } from "../lib/host/mod.ts";
import { RpcClient } from "../lib/rpc/mod.ts";
import { buildProverInput } from "../lib/witness/builder.ts";
import type { WitnessStats } from "../lib/witness/stats.ts";
import { witnessRoots } from "../lib/witness/verify.ts";

interface Row {
  fork: string;
  scenario: string;
  block: number;
  txs: number;
  gas: number;
  witnessMs: number;
  phasesMs: Record<string, number>;
  rpcCalls: number;
  httpRequests: number;
  bytesSent: number;
  bytesReceived: number;
  stateNodes: number;
  codes: number;
  headers: number;
  inputBytes: number;
  /** The TypeScript witness check (`execute --check-witness`), with its RPC; null without --check. */
  checkMs: number | null;
  hostWallMs: number | null;
  executeMs: number | null;
  mgasPerSec: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(
  rpc: RpcClient,
  n: bigint,
  runs: number,
  hostBin: string | undefined,
  label: { fork: string; scenario: string },
  check: boolean,
): Promise<Row> {
  const times: number[] = [];
  let stats: WitnessStats | undefined;
  let input;
  for (let i = 0; i < runs; i++) {
    ({ input, stats } = await buildProverInput(rpc, n));
    times.push(stats.totalMs);
  }
  const s = stats!;
  let checkMs: number | null = null;
  if (check) {
    const checks: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const roots = await witnessRoots(rpc, n, input!);
      checks.push(performance.now() - t0);
      if (roots.node !== roots.header) throw new Error(`block ${n}: the witness check fails`);
    }
    checkMs = median(checks);
  }
  let hostWallMs: number | null = null;
  let executeMs: number | null = null;
  if (hostBin) {
    const walls: number[] = [];
    const execs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runHost({ input: input!, backend: "exec", hostBin });
      walls.push(r.wallMs);
      execs.push(r.phases.executeMs ?? r.wallMs);
    }
    hostWallMs = median(walls);
    executeMs = median(execs);
  }
  return {
    ...label,
    block: Number(n),
    txs: s.txs,
    gas: s.gasUsed,
    witnessMs: median(times),
    phasesMs: Object.fromEntries(
      Object.entries(s.phases).map(([k, v]) => [k, Math.round(v.ms * 10) / 10]),
    ),
    rpcCalls: s.rpc.calls,
    httpRequests: s.rpc.httpRequests,
    bytesSent: s.rpc.bytesSent,
    bytesReceived: s.rpc.bytesReceived,
    stateNodes: s.witness.stateNodes,
    codes: s.witness.codes,
    headers: s.witness.headers,
    inputBytes: s.witness.jsonBytes,
    checkMs,
    hostWallMs,
    executeMs,
    mgasPerSec: executeMs && s.gasUsed ? s.gasUsed / 1000 / executeMs : null,
  };
}

function table(rows: Row[]): string {
  const head = [
    "fork",
    "scenario",
    "block",
    "txs",
    "gas",
    "witness ms",
    "calls",
    "reqs",
    "KiB in",
    "nodes",
    "codes",
    "hdrs",
    "input KiB",
    "check ms",
    "exec ms",
    "host ms",
    "Mgas/s",
  ];
  const f = (x: number | null, d = 1) => (x === null ? "-" : x.toFixed(d));
  const body = rows.map((r) => [
    r.fork,
    r.scenario,
    String(r.block),
    String(r.txs),
    String(r.gas),
    f(r.witnessMs),
    String(r.rpcCalls),
    String(r.httpRequests),
    f(r.bytesReceived / 1024),
    String(r.stateNodes),
    String(r.codes),
    String(r.headers),
    f(r.inputBytes / 1024),
    f(r.checkMs),
    f(r.executeMs, 2),
    f(r.hostWallMs, 1),
    f(r.mgasPerSec),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      forks: { type: "string", default: "default,prague,cancun" },
      runs: { type: "string", default: "3" },
      rpc: { type: "string" },
      blocks: { type: "string" },
      out: { type: "string", default: "bench-reports" },
      check: { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  const hostBin = hostBinExists() ? defaultHostBin() : undefined;
  if (!hostBin) console.error(`no zkvm-host at ${defaultHostBin()}: execution columns stay empty`);
  const rows: Row[] = [];
  if (values.rpc) {
    const [from, to] = (values.blocks ?? "latest").split("-");
    const rpc = new RpcClient(values.rpc);
    const head = BigInt(await rpc.request<string>("eth_blockNumber", []));
    const first = from === "latest" ? head : BigInt(from);
    const last = to ? BigInt(to) : first;
    for (let n = first; n <= last; n++) {
      const label = { fork: "(node)", scenario: values.rpc };
      rows.push(await measure(rpc, n, runs, hostBin, label, values.check!));
    }
  } else {
    const { ScenarioChain } = await import("../tests/scenarios/chain.ts");
    const { scenariosFor } = await import("../tests/scenarios/scenarios.ts");
    for (const want of values.forks!.split(",")) {
      await using chain = await ScenarioChain.start(want === "default" ? undefined : want);
      for (const sc of scenariosFor(chain.fork)) {
        for (const n of await sc.run(chain, chain.fork)) {
          rows.push(
            await measure(chain.rpc, n, runs, hostBin, {
              fork: chain.fork,
              scenario: sc.name,
            }, values.check!),
          );
        }
      }
    }
  }
  console.log(table(rows));
  await Deno.mkdir(values.out!, { recursive: true });
  const file = `${values.out}/witness-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  const report = {
    kind: "witness-bench",
    at: new Date().toISOString(),
    runs,
    hostBin: hostBin ?? null,
    cpu: Deno.build.target,
    note: "witness, check and exec times are medians of `runs`; Mgas/s = gas / host executeMs",
    rows,
  };
  await Deno.writeTextFile(file, JSON.stringify(report, null, 1) + "\n");
  console.log(`report: ${file}`);
}
