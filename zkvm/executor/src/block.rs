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
    precompiles::PrecompilesMap,
    EthEvm, Evm,
};
use revm::database_interface::DatabaseCommitExt;

use crate::{collision::StorageCollision, db::WitnessDb, fork::ForkSpec, ExecError, Quirks};

/// The EVM the executor runs on; its inspector (the EIP-7610 storage check) runs only when
/// enabled.
pub type BlockEvm = EthEvm<WitnessDb, StorageCollision, PrecompilesMap>;
/// alloy-evm's Ethereum block executor over the witness database.
pub type Executor<'a> = EthBlockExecutor<'a, BlockEvm, &'a ForkSpec, AlloyReceiptBuilder>;

/// A block executor error with the index of the transaction it came from, if any.
pub type TxError = (Option<usize>, BlockExecutionError);

/// Pre-block system calls, then every transaction.
pub fn run_transactions(
    ex: &mut Executor<'_>,
    txs: &[Recovered<&TxEnvelope>],
    quirks: Quirks,
) -> Result<(), TxError> {
    let pre = if quirks.no_beacon_root_call {
        ex.system_caller
            .apply_blockhashes_contract_call(ex.ctx.parent_hash, &mut ex.evm)
    } else {
        ex.apply_pre_execution_changes()
    };
    pre.map_err(|e| (None, e))?;
    for (index, tx) in txs.iter().enumerate() {
        ex.execute_transaction(tx).map_err(|e| (Some(index), e))?;
    }
    Ok(())
}

/// The typed form of a block executor error.
pub fn typed_error((index, err): TxError) -> ExecError {
    use BlockValidationError as V;
    let BlockExecutionError::Validation(v) = err else {
        return ExecError::Execution(err.to_string());
    };
    match (index, v) {
        (
            Some(index),
            v @ (V::InvalidTx { .. } | V::TransactionGasLimitMoreThanAvailableBlockGas { .. }),
        ) => ExecError::InvalidTransaction {
            index,
            reason: v.to_string(),
        },
        (
            _,
            v @ (V::MissingParentBeaconBlockRoot
            | V::CancunGenesisParentBeaconBlockRootNotZero { .. }
            | V::BeaconRootContractCall { .. }
            | V::BlockHashContractCall { .. }
            | V::WithdrawalRequestsContractCall { .. }
            | V::ConsolidationRequestsContractCall { .. }),
        ) => ExecError::SystemCall(v.to_string()),
        (_, V::DepositRequestDecode(reason)) => ExecError::InvalidDepositEvent(reason),
        (_, v) => ExecError::Execution(v.to_string()),
    }
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
