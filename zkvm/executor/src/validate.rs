//! Checks of the header against the block body and against the execution outcome.

use alloy_consensus::{
    proofs::{
        calculate_ommers_root, calculate_receipt_root, calculate_transaction_root,
        calculate_withdrawals_root,
    },
    ReceiptEnvelope, TxReceipt,
};
use alloy_evm::block::BlockExecutionResult;
use alloy_primitives::{Bloom, B256};

use crate::{input::EthBlock, ExecError};

/// Body commitments in the header: transactions root, ommers hash, withdrawals root.
pub fn check_body(block: &EthBlock) -> Result<(), ExecError> {
    let header = &block.header;
    let computed = calculate_transaction_root(&block.body.transactions);
    if computed != header.transactions_root {
        return Err(ExecError::TransactionsRootMismatch {
            header: header.transactions_root,
            computed,
        });
    }
    let computed = calculate_ommers_root(&block.body.ommers);
    if computed != header.ommers_hash {
        return Err(ExecError::OmmersHashMismatch {
            header: header.ommers_hash,
            computed,
        });
    }
    let computed = block
        .body
        .withdrawals
        .as_ref()
        .map(|w| calculate_withdrawals_root(w));
    if computed != header.withdrawals_root {
        return Err(ExecError::WithdrawalsRootMismatch {
            header: header.withdrawals_root,
            computed,
        });
    }
    Ok(())
}

/// Execution commitments in the header: gas, blob gas, receipts root, bloom, requests hash.
pub fn check_outcome(
    block: &EthBlock,
    result: &BlockExecutionResult<ReceiptEnvelope>,
    prague: bool,
) -> Result<(), ExecError> {
    let header = &block.header;
    if result.gas_used != header.gas_used {
        return Err(ExecError::GasUsedMismatch {
            header: header.gas_used,
            computed: result.gas_used,
        });
    }
    if header.blob_gas_used != Some(result.blob_gas_used) {
        return Err(ExecError::BlobGasUsedMismatch {
            header: header.blob_gas_used,
            computed: result.blob_gas_used,
        });
    }
    let computed = calculate_receipt_root(&result.receipts);
    if computed != header.receipts_root {
        return Err(ExecError::ReceiptsRootMismatch {
            header: header.receipts_root,
            computed,
        });
    }
    let bloom = result
        .receipts
        .iter()
        .fold(Bloom::ZERO, |acc, r| acc | r.bloom());
    if bloom != header.logs_bloom {
        return Err(ExecError::LogsBloomMismatch {
            header: Box::new(header.logs_bloom),
            computed: Box::new(bloom),
        });
    }
    let computed: Option<B256> = prague.then(|| result.requests.requests_hash());
    if computed != header.requests_hash {
        return Err(ExecError::RequestsHashMismatch {
            header: header.requests_hash,
            computed,
        });
    }
    Ok(())
}
