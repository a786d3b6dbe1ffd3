//! Stateless execution of one block: the only place that decides a block is valid.

use std::borrow::Cow;

use alloy_consensus::{
    transaction::{Recovered, SignerRecoverable},
    TxEnvelope,
};
use alloy_evm::{
    block::BlockExecutionError,
    eth::{receipt_builder::AlloyReceiptBuilder, EthBlockExecutionCtx, EthBlockExecutor},
    EthEvmFactory, EvmEnv, EvmFactory,
};
use alloy_hardforks::EthereumHardforks;
use alloy_primitives::B256;
use serde::{Deserialize, Serialize};

use crate::{
    block::{finish, run_transactions, Executor},
    clock::{Clock, Lap, Phases},
    db::WitnessDb,
    fork::ForkSpec,
    overlay::CommitRules,
    state::apply_overlay,
    validate::{check_against_parent, check_body, check_header, check_outcome},
    witness::index_witness,
    ExecError, Journal, ProverInput,
};

/// What a successful execution proves, plus facts for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    /// The public outputs (commit these, ABI-encoded, only from a successful execution).
    pub journal: Journal,
    /// Number of transactions in the block.
    pub tx_count: usize,
    /// Gas used by the block.
    pub gas_used: u64,
    /// Time spent per phase, by the caller's clock.
    pub phases: Phases,
}

/// Executes the block of `input` against its witness and checks every header commitment.
pub fn execute(input: &ProverInput, clock: &dyn Clock) -> Result<Execution, ExecError> {
    let mut lap = Lap::start(clock);
    let block = &input.block;
    let header = &block.header;

    let (witness, parent) = index_witness(input)?;
    check_header(block, input.fork)?;
    check_body(block, input.quirks)?;
    check_against_parent(header, &parent, input.fork, input.quirks)?;
    let witness_ms = lap.lap();

    let txs = recover_senders(&block.body.transactions)?;
    // Part of execute_ms, reported apart: in the zkVM, ecrecover dominates a block's cycles.
    let recover_ms = lap.lap();
    let spec = ForkSpec::new(input.fork, None);
    let env = EvmEnv::for_eth_block(header, spec, input.chain_id, Some(input.fork.blob_params()));
    let rules = CommitRules {
        keep_loaded_accounts: input.quirks.keep_loaded_accounts,
        record_loaded_slots: input.quirks.keep_loaded_storage_slots,
    };
    let state = WitnessDb::new(witness, parent.state_root, rules);
    let first_error = state.first_error.clone();
    let evm = EthEvmFactory::default().create_evm(state, env);
    let ctx = EthBlockExecutionCtx {
        parent_hash: header.parent_hash,
        parent_beacon_block_root: header.parent_beacon_block_root,
        ommers: &block.body.ommers,
        withdrawals: block
            .body
            .withdrawals
            .as_ref()
            .map(|w| Cow::Borrowed(w.as_slice())),
        extra_data: header.extra_data.clone(),
        tx_count_hint: Some(txs.len()),
        slot_number: None,
    };
    let mut executor: Executor<'_> =
        EthBlockExecutor::new(evm, ctx, &spec, AlloyReceiptBuilder::default());
    if let Err(e) = run_transactions(&mut executor, &txs, input.quirks) {
        return Err(typed(first_error.take(), e));
    }
    let (mut db, result) =
        finish(executor, &spec, input.quirks).map_err(|e| typed(first_error.take(), e))?;
    if let Some(e) = first_error.take() {
        return Err(e);
    }
    check_outcome(
        block,
        &result,
        spec.is_prague_active_at_timestamp(header.timestamp),
    )?;
    let execute_ms = recover_ms + lap.lap();

    let computed = apply_overlay(&mut db)?;
    if computed != header.state_root {
        return Err(ExecError::StateRootMismatch {
            header: header.state_root,
            computed,
        });
    }
    let state_root_ms = lap.lap();

    Ok(Execution {
        journal: Journal {
            chain_id: input.chain_id,
            block_number: header.number,
            parent_hash: header.parent_hash,
            pre_state_root: parent.state_root,
            post_state_root: computed,
            block_hash: header.hash_slow(),
        },
        tx_count: txs.len(),
        gas_used: result.gas_used,
        phases: Phases {
            witness_ms,
            execute_ms,
            recover_ms,
            state_root_ms,
        },
    })
}

/// Recovers every sender with the pure-Rust k256 backend.
fn recover_senders(txs: &[TxEnvelope]) -> Result<Vec<Recovered<&TxEnvelope>>, ExecError> {
    txs.iter()
        .enumerate()
        .map(|(index, tx)| {
            let signer = tx
                .recover_signer()
                .map_err(|_| ExecError::InvalidSignature { index })?;
            Ok(Recovered::new_unchecked(tx, signer))
        })
        .collect()
}

/// Prefers the typed witness error the database recorded over revm's stringly wrapper.
fn typed(db_error: Option<ExecError>, err: BlockExecutionError) -> ExecError {
    db_error.unwrap_or_else(|| ExecError::Execution(err.to_string()))
}

/// Hash of the block header, as the chain links it.
pub fn block_hash(input: &ProverInput) -> B256 {
    input.block.header.hash_slow()
}
