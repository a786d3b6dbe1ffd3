/** Which backend local provers (devnet, up) run on: risc0 dev mode when built, else exec. */
import { hostImageId } from "../host/mod.ts";
import type { Logger } from "../log/logger.ts";

/** auto: risc0 (dev mode) when this zkvm-host has the risc0 backend and a guest; logs which and why. */
export async function chooseBackend(
  wanted: "auto" | "exec" | "risc0",
  hostBin: string | undefined,
  log: Logger,
): Promise<"exec" | "risc0"> {
  if (wanted !== "auto") {
    log.info(`client backend: ${wanted} (asked for with --backend)`);
    return wanted;
  }
  try {
    const id = await hostImageId(hostBin);
    log.info(`client backend: risc0 in dev mode (guest image id ${id})`);
    return "risc0";
  } catch (e) {
    log.info(`client backend: exec (risc0 not available: ${(e as Error).message})`);
    return "exec";
  }
}
