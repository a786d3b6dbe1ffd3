/**
 * What `l2-prover --version` reports: this CLI, the commit it was built from, the Deno runtime,
 * and the zkvm-host it would drive (version, cargo features, guest image id).
 */
import { hostInfo } from "../host/info.ts";
import { resolveHostBin } from "../host/bin.ts";
import { isCompiled, programFile } from "../paths/program.ts";

/** The product's version. */
export const VERSION = "0.1.0";

/** Where `make build` records the commit of a compiled executable (embedded with --include). */
const BUILD_INFO = programFile(".work/build-info.json");

/** Everything `--version` prints. */
export interface VersionReport {
  readonly version: string;
  readonly commit: string;
  readonly deno: string;
  readonly compiled: boolean;
  readonly host: {
    readonly path: string;
    readonly source: string;
    readonly version?: string;
    readonly features?: readonly string[];
    readonly imageId?: string;
    /** Why the host (or its guest) could not be asked. */
    readonly problem?: string;
  };
}

/** Gathers the version report; never throws (each missing piece is named instead). */
export async function versionReport(): Promise<VersionReport> {
  const host = resolveHostBin();
  return {
    version: VERSION,
    commit: await commit(),
    deno: Deno.version.deno,
    compiled: isCompiled(),
    host: { path: host.path, source: host.source, ...await hostInfo(host.path) },
  };
}

/** The report as the lines `--version` prints. */
export function formatVersion(r: VersionReport): string {
  const h = r.host;
  const hostLine = h.problem !== undefined && h.version === undefined
    ? `zkvm-host   ${h.path} (${h.source}): ${h.problem}`
    : `zkvm-host   ${h.version} [${(h.features ?? []).join(", ")}] at ${h.path} (${h.source})`;
  const guest = h.imageId ??
    (h.version === undefined ? "unknown" : `none (${h.problem ?? "exec only"})`);
  return [
    `l2-prover   ${r.version}${r.compiled ? " (compiled)" : ""}`,
    `commit      ${r.commit}`,
    `deno        ${r.deno}`,
    hostLine,
    `guest       ${guest}`,
  ].join("\n");
}

async function commit(): Promise<string> {
  try {
    const info = JSON.parse(await Deno.readTextFile(BUILD_INFO)) as { commit?: unknown };
    if (typeof info.commit === "string") return info.commit;
  } catch { /* not a compiled build: ask git */ }
  try {
    const out = await new Deno.Command("git", {
      args: ["-C", programFile("."), "describe", "--always", "--dirty", "--abbrev=12"],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (out.success) return new TextDecoder().decode(out.stdout).trim();
  } catch { /* no git on this machine */ }
  return "unknown";
}
