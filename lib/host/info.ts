/** What `zkvm-host info` tells of a host binary, asked once (lib/about and perf-gpu read it). */
import type { Hex } from "viem";
import { resolveImageId } from "./image_id.ts";

/** The host's build: version, features (exec, risc0, cuda, bonsai), the guest's image id. */
export interface HostInfo {
  readonly version?: string;
  readonly features?: readonly string[];
  readonly imageId?: string;
  /** The dev guest's image id (inputs with quirks), where the host has one. */
  readonly devImageId?: string;
  /** Why the host (or its guest) could not be asked. */
  readonly problem?: string;
}

/** Runs `zkvm-host info` at `path`; never throws (a problem is named instead). */
export async function hostInfo(path: string): Promise<HostInfo> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(path, { args: ["info"], stdout: "piped", stderr: "piped" })
      .output();
  } catch (e) {
    return { problem: `not runnable (${(e as Error).message})` };
  }
  if (!out.success) {
    return { problem: `\`zkvm-host info\` exited ${out.code} (a host older than this CLI?)` };
  }
  try {
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      version: string;
      features: string[];
      guest: { imageId?: string; error?: string } | null;
      devGuest?: { imageId?: string } | null;
    };
    return {
      version: info.version,
      features: info.features,
      imageId: info.guest?.imageId,
      devImageId: info.devGuest?.imageId,
      problem: info.guest === null ? "built without the risc0 backend" : info.guest.error,
    };
  } catch (e) {
    return { problem: `unreadable \`zkvm-host info\` output (${(e as Error).message})` };
  }
}

const guestIds = new Map<string, Promise<HostInfo>>();

/**
 * The image id proofs of `dev` (quirks) or settlement inputs carry with the host at `hostBin`:
 * its own guest's where it has the risc0 backend (a host in a release folder, ZKVM_HOST_BIN),
 * else this checkout's built guest (image-id*.txt, what the exec backend's claims name), else
 * zero. One answer for `deploy`, `up` and the exec driver, so a contract accepts what its
 * provers make.
 */
export async function guestImageId(hostBin: string, dev: boolean): Promise<Hex> {
  let info = guestIds.get(hostBin);
  if (!info) guestIds.set(hostBin, info = hostInfo(hostBin));
  const { imageId, devImageId } = await info;
  const id = dev ? devImageId : imageId;
  if (id && /^0x[0-9a-fA-F]{64}$/.test(id)) return id.toLowerCase() as Hex;
  return resolveImageId({ dev });
}
