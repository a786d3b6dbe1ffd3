/**
 * The GPU side of perf-gpu: what stops it before it starts (no CUDA device, a host built without
 * CUDA, no guest), the GPU's name, and a sampler of memory and utilisation (nvidia-smi) while
 * proving, for peak memory and the GPU's idle share.
 */
import { hostInfo } from "../host/info.ts";

/** Runs nvidia-smi with `args`; undefined when it is missing or fails. */
async function nvidiaSmi(args: readonly string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("nvidia-smi", {
      args: [...args],
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The first GPU's name, or null without one. */
export async function gpuName(): Promise<string | null> {
  const out = await nvidiaSmi(["--query-gpu=name", "--format=csv,noheader"]);
  return out?.split("\n")[0]?.trim() || null;
}

/**
 * Why perf-gpu cannot run here, naming what is missing (a CUDA device, a CUDA-built host, the
 * guest), or undefined when all are present. Checked before any fixture is loaded.
 */
export async function cudaPreflight(hostBin: string): Promise<string | undefined> {
  const missing: string[] = [];
  const gpus = await nvidiaSmi(["-L"]);
  if (!gpus || !/GPU \d+:/.test(gpus)) {
    missing.push(
      "no CUDA device: nvidia-smi is missing or lists no GPU (perf-test runs the same fixtures in dev mode without one)",
    );
  }
  const info = await hostInfo(hostBin);
  if (!info.features) {
    missing.push(`no usable zkvm-host at ${hostBin}: ${info.problem} (make host-gpu)`);
  } else if (!info.features.includes("cuda")) {
    missing.push(
      `zkvm-host at ${hostBin} is built without CUDA (features: ${
        info.features.join(", ")
      }): make host-gpu builds it`,
    );
  } else if (!info.imageId) {
    missing.push(`no guest beside the host: ${info.problem ?? "make guest"}`);
  }
  return missing.length > 0 ? missing.join("; ") : undefined;
}

/** Peak memory and utilisation while a sampler ran. */
export interface GpuUsage {
  readonly samples: number;
  readonly peakMemoryMiB: number | null;
  /** Share of samples with 0 % utilisation, in percent. */
  readonly idlePct: number | null;
}

/** Parses `nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader,nounits` lines. */
export function parseGpuSamples(text: string): GpuUsage {
  const samples = text.split("\n").map((l) => l.split(",").map((x) => Number(x.trim())))
    .filter((v) => v.length >= 2 && v.every(Number.isFinite));
  if (samples.length === 0) return { samples: 0, peakMemoryMiB: null, idlePct: null };
  return {
    samples: samples.length,
    peakMemoryMiB: Math.max(...samples.map((v) => v[0])),
    idlePct: (100 * samples.filter((v) => v[1] === 0).length) / samples.length,
  };
}

/** Starts sampling the GPU every `intervalMs`; `stop()` ends it and returns the usage. */
export function startGpuSampler(intervalMs = 200): { stop(): Promise<GpuUsage> } {
  let child: Deno.ChildProcess | undefined;
  try {
    child = new Deno.Command("nvidia-smi", {
      args: [
        "--query-gpu=memory.used,utilization.gpu",
        "--format=csv,noheader,nounits",
        `-lms`,
        String(intervalMs),
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch {
    return { stop: () => Promise.resolve(parseGpuSamples("")) };
  }
  const text = new Response(child.stdout).text();
  return {
    async stop() {
      try {
        child!.kill("SIGTERM");
      } catch { /* already gone */ }
      await child!.status;
      return parseGpuSamples(await text);
    },
  };
}
