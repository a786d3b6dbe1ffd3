/** The prover server's metrics (names prefixed `prover_server_`). */
import { Registry } from "../metrics/registry.ts";

/** Creates the server's metric set. */
export function serverMetrics() {
  const registry = new Registry();
  return {
    registry,
    handedOut: registry.counter(
      "prover_server_blocks_handed_out_total",
      "blocks handed to clients",
    ),
    proved: registry.counter(
      "prover_server_blocks_proved_total",
      "proofs accepted and stored (first submission of a block)",
    ),
    verified: registry.counter(
      "prover_server_blocks_verified_total",
      "submissions whose journal and proof checked out, by backend",
    ),
    leaseExpiries: registry.counter(
      "prover_server_lease_expiries_total",
      "leases that expired before a proof arrived",
    ),
    rejected: registry.counter(
      "prover_server_rejected_total",
      "messages answered with an error reply, by reason",
    ),
    duplicates: registry.counter(
      "prover_server_duplicate_submissions_total",
      "submissions of an already stored proof (acknowledged again)",
    ),
    inputBuildMs: registry.summary(
      "prover_server_input_build_milliseconds",
      "time to build one block's prover input",
    ),
    inputBuildFailures: registry.counter(
      "prover_server_input_build_failures_total",
      "failed attempts to build a block's input (retried with backoff)",
    ),
    provingMs: registry.summary(
      "prover_server_client_proving_milliseconds",
      "proving time reported by clients",
    ),
    lastVerified: registry.gauge(
      "prover_server_last_verified_block",
      "highest block with a stored proof",
    ),
    preparedInputs: registry.gauge(
      "prover_server_prepared_inputs",
      "inputs built and waiting for a client",
    ),
    liveLeases: registry.gauge("prover_server_live_leases", "blocks being proved now"),
    storedProofs: registry.gauge("prover_server_stored_proofs", "proofs in the store"),
  };
}

/** The server's metric set. */
export type ServerMetrics = ReturnType<typeof serverMetrics>;
