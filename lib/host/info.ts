/** What `zkvm-host info` tells of a host binary, asked once (lib/about and perf-gpu read it). */

/** The host's build: version, features (exec, risc0, cuda, bonsai), the guest's image id. */
export interface HostInfo {
  readonly version?: string;
  readonly features?: readonly string[];
  readonly imageId?: string;
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
    };
    return {
      version: info.version,
      features: info.features,
      imageId: info.guest?.imageId,
      problem: info.guest === null ? "built without the risc0 backend" : info.guest.error,
    };
  } catch (e) {
    return { problem: `unreadable \`zkvm-host info\` output (${(e as Error).message})` };
  }
}
