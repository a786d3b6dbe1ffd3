/** Which backend local provers (devnet, up) run on: risc0 dev mode when built, else exec. */
import { hostImageId } from "../host/mod.ts";
import type { Logger } from "../log/logger.ts";

/** The backend chosen and why (the live view and the log show both). */
export interface BackendChoice {
  readonly backend: "exec" | "risc0";
  /** e.g. "risc0 dev mode", "exec". */
  readonly label: string;
  readonly reason: string;
}

/** auto: risc0 (dev mode) when this zkvm-host has the risc0 backend and a guest; logs which and why. */
export async function chooseBackend(
  wanted: "auto" | "exec" | "risc0",
  hostBin: string | undefined,
  log: Logger,
): Promise<BackendChoice> {
  const choice = await choose(wanted, hostBin);
  log.info(`client backend: ${choice.label} (${choice.reason})`);
  return choice;
}

async function choose(
  wanted: "auto" | "exec" | "risc0",
  hostBin: string | undefined,
): Promise<BackendChoice> {
  const label = (b: "exec" | "risc0") => (b === "risc0" ? "risc0 dev mode" : "exec");
  if (wanted !== "auto") {
    return { backend: wanted, label: label(wanted), reason: "asked for with --backend" };
  }
  try {
    const id = await hostImageId(hostBin);
    return {
      backend: "risc0",
      label: label("risc0"),
      reason: `zkvm-host has the risc0 backend and a guest (image id ${id.slice(0, 10)}…)`,
    };
  } catch (e) {
    return {
      backend: "exec",
      label: label("exec"),
      // the host's last clause says why ("this zkvm-host was built without the risc0 backend")
      reason: `risc0 not available: ${
        (e as Error).message.split(/[;\n]/)[0].split(": ").pop()
      } (make risc0-build builds the guest and the risc0 host)`,
    };
  }
}
