//! Runs a block's system calls and transactions in order on alloy-evm's Ethereum executor,
//! leaving out the system calls an input's quirks say its node does not make.

use alloy_consensus::{transaction::Recovered, ReceiptEnvelope, TxEnvelope};
use alloy_eips::eip7685::Requests;
use alloy_evm::{
    block::{
        state_changes::post_block_balance_increments, BlockExecutionError, BlockExecutionResult,
        BlockExecutor, BlockValidationError,
    },
    eth::{receipt_builder::AlloyReceiptBuilder, EthBlockExecutor},
    EthEvmFactory, Evm, EvmFactory,
};
use revm::{database_interface::DatabaseCommitExt, inspector::NoOpInspector};

use crate::{db::WitnessDb, fork::ForkSpec, Quirks};

/// The EVM the executor runs on.
pub type BlockEvm = <EthEvmFactory as EvmFactory>::Evm<WitnessDb, NoOpInspector>;
/// alloy-evm's Ethereum block executor over the witness database.
pub type Executor<'a> = EthBlockExecutor<'a, BlockEvm, &'a ForkSpec, AlloyReceiptBuilder>;

/// Pre-block system calls, then every transaction.
pub fn run_transactions(
    ex: &mut Executor<'_>,
    txs: &[Recovered<&TxEnvelope>],
    quirks: Quirks,
) -> Result<(), BlockExecutionError> {
    if quirks.no_beacon_root_call {
        ex.system_caller
            .apply_blockhashes_contract_call(ex.ctx.parent_hash, &mut ex.evm)?;
    } else {
        ex.apply_pre_execution_changes()?;
    }
    for tx in txs {
        ex.execute_transaction(tx)?;
    }
    Ok(())
}

/// Post-block changes (requests, withdrawals) and the execution result.
pub fn finish(
    ex: Executor<'_>,
    spec: &ForkSpec,
    quirks: Quirks,
) -> Result<(WitnessDb, BlockExecutionResult<ReceiptEnvelope>), BlockExecutionError> {
    if !quirks.no_request_calls {
        let (evm, result) = ex.finish()?;
        return Ok((evm.into_db(), result));
    }
    // The node collects no EIP-7002/7251 requests; withdrawals are still credited. (L2s have
    // no deposit contract, so there are no EIP-6110 requests either.)
    let mut evm = ex.evm;
    let increments = post_block_balance_increments(
        spec,
        evm.block(),
        ex.ctx.ommers,
        ex.ctx.withdrawals.as_deref(),
    );
    evm.db_mut()
        .increment_balances(increments)
        .map_err(|_| BlockValidationError::IncrementBalanceFailed)?;
    let result = BlockExecutionResult {
        receipts: ex.receipts,
        requests: Requests::default(),
        gas_used: ex.cumulative_tx_gas_used,
        blob_gas_used: ex.blob_gas_used,
    };
    Ok((evm.into_db(), result))
}
