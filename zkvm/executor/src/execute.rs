//! Stateless execution of a batch of blocks: the only place that decides a block is valid.

use std::borrow::Cow;

use alloy_consensus::Header;
use alloy_consensus::{
    transaction::{Recovered, SignerRecoverable},
    TxEnvelope,
};
use alloy_evm::{
    eth::{
        receipt_builder::AlloyReceiptBuilder, EthBlockExecutionCtx, EthBlockExecutor, EthEvmBuilder,
    },
    EvmEnv,
};
use alloy_primitives::B256;
use serde::{Deserialize, Serialize};

use crate::{
    block::{finish, run_transactions, typed_error, Executor, TxError},
    clock::{Clock, Lap, Phases},
    collision::StorageCollision,
    db::{Flag, WitnessDb},
    fork::ForkSpec,
    input::EthBlock,
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
    /// Number of transactions in the batch.
    pub tx_count: usize,
    /// Gas used by the batch.
    pub gas_used: u64,
    /// Each block of the batch, in order.
    pub blocks: Vec<BlockOutcome>,
    /// Time spent per phase over the whole batch, by the caller's clock.
    pub phases: Phases,
}

/// One executed block of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockOutcome {
    /// Block number.
    pub number: u64,
    /// keccak256 of its RLP header.
    pub hash: B256,
    /// Its state root (checked).
    pub state_root: B256,
    /// Transactions in the block.
    pub tx_count: usize,
    /// Gas used by the block (checked against the header).
    pub gas_used: u64,
}

/// Executes the blocks of `input` in order over one sparse trie (the post-state of each block is
/// the pre-state of the next) and checks every header commitment of every block, and that each
/// block's parent is the block before it.
///
/// A batch that loads an account with storage but no code and nonce (only genesis allocations
/// make one) runs again with the EIP-7610 storage check on creations, which revm lacks; every
/// other batch pays nothing for it.
pub fn execute(input: &ProverInput, clock: &dyn Clock) -> Result<Execution, ExecError> {
    let seen = Flag::default();
    let first = execute_batch(input, clock, false, &seen);
    if !seen.is_set() {
        return first;
    }
    execute_batch(input, clock, true, &seen)
}

/// One run over the batch; `collision_check` turns the EIP-7610 inspector on.
fn execute_batch(
    input: &ProverInput,
    clock: &dyn Clock,
    collision_check: bool,
    seen: &Flag,
) -> Result<Execution, ExecError> {
    let mut lap = Lap::start(clock);
    let first = input
        .blocks
        .first()
        .ok_or_else(|| ExecError::InputShape("the batch has no blocks".into()))?;
    let (witness, parent) = index_witness(input)?;
    let mut phases = Phases {
        witness_ms: lap.lap(),
        ..Default::default()
    };
    let rules = CommitRules {
        keep_loaded_accounts: input.quirks.keep_loaded_accounts,
        record_loaded_slots: input.quirks.keep_loaded_storage_slots,
    };
    let mut db = WitnessDb::new(witness, parent.state_root, rules);
    db.storage_only_seen = seen.clone();
    let mut prev = parent.clone();
    let mut prev_hash = first.header.parent_hash;
    let mut blocks = Vec::with_capacity(input.blocks.len());
    for (index, block) in input.blocks.iter().enumerate() {
        let header = &block.header;
        if index > 0
            && (header.parent_hash != prev_hash
                || prev.number.checked_add(1) != Some(header.number))
        {
            return Err(ExecError::BatchNotConsecutive {
                index,
                number: header.number,
                parent_hash: header.parent_hash,
                prev_number: prev.number,
                prev_hash,
            });
        }
        let outcome;
        (db, outcome) = execute_block(
            input,
            block,
            &prev,
            db,
            collision_check,
            (&mut lap, &mut phases),
        )?;
        // BLOCKHASH in the later blocks of the batch reaches this one.
        db.witness.ancestors.insert(outcome.number, outcome.hash);
        prev_hash = outcome.hash;
        prev = header.clone();
        blocks.push(outcome);
    }
    let last = blocks.last().expect("at least one block");
    Ok(Execution {
        journal: Journal {
            chain_id: input.chain_id,
            first_block: first.header.number,
            last_block: last.number,
            parent_hash: first.header.parent_hash,
            pre_state_root: parent.state_root,
            post_state_root: last.state_root,
            last_block_hash: last.hash,
            rules_digest: input.rules_digest(),
        },
        tx_count: blocks.iter().map(|b| b.tx_count).sum(),
        gas_used: blocks.iter().map(|b| b.gas_used).sum(),
        blocks,
        phases,
    })
}

/// Executes one block on `db` (opened at `parent`'s state root) and checks it against its header;
/// returns the database at the block's post-state.
fn execute_block(
    input: &ProverInput,
    block: &EthBlock,
    parent: &Header,
    db: WitnessDb,
    collision_check: bool,
    (lap, phases): (&mut Lap<'_>, &mut Phases),
) -> Result<(WitnessDb, BlockOutcome), ExecError> {
    let header = &block.header;
    check_header(block, input.fork)?;
    check_body(block, input.quirks)?;
    check_against_parent(header, parent, input.fork, input.quirks)?;
    phases.witness_ms += lap.lap();

    let txs = recover_senders(&block.body.transactions)?;
    // Part of execute_ms, reported apart: in the zkVM, ecrecover dominates a block's cycles.
    let recover_ms = lap.lap();
    let spec = ForkSpec::new(input.fork, None);
    let env = EvmEnv::for_eth_block(header, spec, input.chain_id, Some(input.fork.blob_params()));
    let first_error = db.first_error.clone();
    let evm = EthEvmBuilder::new(db, env)
        .inspector(StorageCollision)
        .set_inspect(collision_check)
        .build();
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
        finish(executor, &spec, input.quirks).map_err(|e| typed(first_error.take(), (None, e)))?;
    if let Some(e) = first_error.take() {
        return Err(e);
    }
    check_outcome(block, &result, input.fork)?;
    phases.recover_ms += recover_ms;
    phases.execute_ms += recover_ms + lap.lap();

    let computed = apply_overlay(&mut db)?;
    if computed != header.state_root {
        return Err(ExecError::StateRootMismatch {
            header: header.state_root,
            computed,
        });
    }
    phases.state_root_ms += lap.lap();
    let outcome = BlockOutcome {
        number: header.number,
        hash: header.hash_slow(),
        state_root: computed,
        tx_count: txs.len(),
        gas_used: result.gas_used,
    };
    Ok((db, outcome))
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

/// Prefers the typed witness error the database recorded over revm's wrapper of it.
fn typed(db_error: Option<ExecError>, err: TxError) -> ExecError {
    db_error.unwrap_or_else(|| typed_error(err))
}

/// Hash of the last block's header, as the chain links it.
pub fn last_block_hash(input: &ProverInput) -> Option<B256> {
    input.blocks.last().map(|b| b.header.hash_slow())
}
