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
      "proofs whose journal and proof checked out and that were stored, by backend (a retried " +
        "submission counts once)",
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
    unprovable: registry.gauge(
      "prover_server_unprovable_batches",
      "batches set aside as unprovable (see /status and the error log; they block settlement)",
    ),
    quarantined: registry.gauge(
      "prover_server_quarantined_files",
      "proof files found bad when the store was opened (moved to proofs/quarantine/)",
    ),
    reorgs: registry.counter(
      "prover_server_reorgs_total",
      "L2 reorgs that replaced blocks the server held inputs, leases or proofs of",
    ),
    sourceUp: registry.gauge(
      "prover_server_source_up",
      "1 when the batch source (the L2, or L1 with settlement) answered its last poll, else 0",
    ),
    l2Up: registry.gauge(
      "prover_server_l2_up",
      "1 when the L2 node answered the last reorg check, else 0",
    ),
    l1HashMismatches: registry.gauge(
      "prover_server_l1_hash_mismatches",
      "committed batches whose last block on the L2 is not the block committed on L1 (not " +
        "proved; verification on L1 halts at the lowest; see /status and the error log)",
    ),
    storeUp: registry.gauge(
      "prover_server_store_up",
      "1 when the last write to the data dir (a proof or a lease record) succeeded, else 0",
    ),
    storeFailures: registry.counter(
      "prover_server_store_failures_total",
      "failed writes to the data dir (a proof answered store_failed, or a lease not handed out)",
    ),
    l1Up: registry.gauge(
      "prover_server_l1_up",
      "with settlement: 1 when the proof sender's last round reached L1, else 0",
    ),
    l1Errors: registry.counter(
      "prover_server_l1_errors_total",
      "with settlement: proof sender rounds that failed (L1 unreachable, an RPC error)",
    ),
    l1Reverts: registry.counter(
      "prover_server_l1_reverts_total",
      "with settlement: verifyBatches transactions that reverted or were refused at the estimate",
    ),
    settlementHalted: registry.gauge(
      "prover_server_settlement_halted_batch",
      "with settlement: the batch the proof sender refuses to send a proof of (its stored " +
        "proof's block hash is not the one committed on L1), 0 when none",
    ),
  };
}

/** The server's metric set. */
export type ServerMetrics = ReturnType<typeof serverMetrics>;
