//! Checks of the header against the block body and against the execution outcome.

use alloy_consensus::EMPTY_OMMER_ROOT_HASH;
use alloy_consensus::{
    proofs::{
        calculate_ommers_root, calculate_receipt_root, calculate_transaction_root,
        calculate_withdrawals_root,
    },
    ReceiptEnvelope, TxReceipt,
};
use alloy_consensus::{Header, TxEip4844Variant, TxEnvelope};
use alloy_eips::eip1559::BaseFeeParams;
use alloy_evm::block::BlockExecutionResult;
use alloy_primitives::{Bloom, B256, B64};
use alloy_rlp::Encodable;

use crate::{input::EthBlock, ExecError, Fork, Quirks};

/// Smallest gas limit a header may declare.
const MIN_GAS_LIMIT: u64 = 5000;
/// Largest gas limit a header may declare (reth's bound: it must fit an i64).
const MAX_GAS_LIMIT: u64 = (1 << 63) - 1;
/// EIP-4844: blob gas of one blob.
const DATA_GAS_PER_BLOB: u64 = 1 << 17;
/// A block's gas limit may move by less than parent/1024.
const GAS_LIMIT_BOUND_DIVISOR: u64 = 1024;

/// Most bytes of extra data a header may carry.
const MAX_EXTRA_DATA: usize = 32;
/// EIP-7934: largest block RLP from Osaka on (10 MiB less a 2 MiB margin for the beacon block).
const MAX_BLOCK_RLP: usize = 10 * 1024 * 1024 - 2 * 1024 * 1024;

/// Header fields every post-merge block must have as its fork says, the checks reth's
/// stateless validation makes before execution: no ommers, zero difficulty and nonce, short
/// extra data, and exactly the fields the fork adds (withdrawals, blob gas, beacon root,
/// requests hash).
pub fn check_header(block: &EthBlock, fork: Fork) -> Result<(), ExecError> {
    let header = &block.header;
    if !block.body.ommers.is_empty() || header.ommers_hash != EMPTY_OMMER_ROOT_HASH {
        return Err(ExecError::OmmersAfterMerge);
    }
    if !header.difficulty.is_zero() {
        return Err(ExecError::NonZeroDifficulty(header.difficulty.to_string()));
    }
    if header.nonce != B64::ZERO {
        return Err(ExecError::NonZeroNonce(u64::from_be_bytes(header.nonce.0)));
    }
    if header.extra_data.len() > MAX_EXTRA_DATA {
        return Err(ExecError::ExtraDataTooLong(header.extra_data.len()));
    }
    let presence = |field: &'static str, present: bool, required: bool| {
        if present == required {
            Ok(())
        } else {
            Err(ExecError::HeaderFieldPresence {
                field,
                fork: fork.name(),
                present,
            })
        }
    };
    presence("baseFeePerGas", header.base_fee_per_gas.is_some(), true)?;
    presence(
        "withdrawalsRoot",
        header.withdrawals_root.is_some(),
        fork >= Fork::Shanghai,
    )?;
    presence(
        "withdrawals",
        block.body.withdrawals.is_some(),
        fork >= Fork::Shanghai,
    )?;
    let cancun = fork >= Fork::Cancun;
    presence("blobGasUsed", header.blob_gas_used.is_some(), cancun)?;
    presence("excessBlobGas", header.excess_blob_gas.is_some(), cancun)?;
    presence(
        "parentBeaconBlockRoot",
        header.parent_beacon_block_root.is_some(),
        cancun,
    )?;
    presence(
        "requestsHash",
        header.requests_hash.is_some(),
        fork >= Fork::Prague,
    )?;
    if fork >= Fork::Osaka {
        let size = block.length();
        if size > MAX_BLOCK_RLP {
            return Err(ExecError::BlockTooLarge {
                size,
                limit: MAX_BLOCK_RLP,
            });
        }
    }
    Ok(())
}

/// Body commitments in the header: transactions root, ommers hash, withdrawals root.
pub fn check_body(block: &EthBlock, quirks: Quirks) -> Result<(), ExecError> {
    let header = &block.header;
    if !quirks.sidecars_in_body {
        // The block form of a blob transaction has no sidecar; the root must not cover one.
        for (index, tx) in block.body.transactions.iter().enumerate() {
            if let TxEnvelope::Eip4844(signed) = tx {
                if matches!(signed.tx(), TxEip4844Variant::TxEip4844WithSidecar(_)) {
                    return Err(ExecError::SidecarInBody { index });
                }
            }
        }
    }
    let computed = calculate_transaction_root(&block.body.transactions);
    commitment(header.transactions_root, computed, |header, computed| {
        ExecError::TransactionsRootMismatch { header, computed }
    })?;
    let computed = calculate_ommers_root(&block.body.ommers);
    commitment(header.ommers_hash, computed, |header, computed| {
        ExecError::OmmersHashMismatch { header, computed }
    })?;
    let computed = block
        .body
        .withdrawals
        .as_ref()
        .map(|w| calculate_withdrawals_root(w));
    commitment(header.withdrawals_root, computed, |header, computed| {
        ExecError::WithdrawalsRootMismatch { header, computed }
    })?;
    Ok(())
}

/// A header commitment against what the block computes: `mismatch(header, computed)` when they
/// differ (one rule for every root, hash and counter the header commits to).
fn commitment<T: PartialEq>(
    header: T,
    computed: T,
    mismatch: impl FnOnce(T, T) -> ExecError,
) -> Result<(), ExecError> {
    if header == computed {
        Ok(())
    } else {
        Err(mismatch(header, computed))
    }
}

/// Execution commitments in the header: gas, blob gas (from Cancun on), receipts root, bloom,
/// requests hash (from Prague on).
pub fn check_outcome(
    block: &EthBlock,
    result: &BlockExecutionResult<ReceiptEnvelope>,
    fork: Fork,
) -> Result<(), ExecError> {
    let header = &block.header;
    commitment(header.gas_used, result.gas_used, |header, computed| {
        ExecError::GasUsedMismatch { header, computed }
    })?;
    let computed = (fork >= Fork::Cancun).then_some(result.blob_gas_used);
    commitment(header.blob_gas_used, computed, |header, computed| {
        ExecError::BlobGasUsedMismatch { header, computed }
    })?;
    let computed = calculate_receipt_root(&result.receipts);
    commitment(header.receipts_root, computed, |header, computed| {
        ExecError::ReceiptsRootMismatch { header, computed }
    })?;
    let bloom = result
        .receipts
        .iter()
        .fold(Bloom::ZERO, |acc, r| acc | r.bloom());
    commitment(header.logs_bloom, bloom, |header, computed| {
        ExecError::LogsBloomMismatch {
            header: Box::new(header),
            computed: Box::new(computed),
        }
    })?;
    let computed: Option<B256> = (fork >= Fork::Prague).then(|| result.requests.requests_hash());
    commitment(header.requests_hash, computed, |header, computed| {
        ExecError::RequestsHashMismatch { header, computed }
    })?;
    Ok(())
}

/// Header rules relative to the parent: timestamp, gas limit drift, EIP-1559 base fee and
/// EIP-4844/7918 excess blob gas (with the fork's blob schedule).
pub fn check_against_parent(
    header: &Header,
    parent: &Header,
    fork: Fork,
    quirks: Quirks,
) -> Result<(), ExecError> {
    let too_early = if quirks.equal_timestamps {
        header.timestamp < parent.timestamp
    } else {
        header.timestamp <= parent.timestamp
    };
    if too_early {
        return Err(ExecError::TimestampNotAfterParent {
            timestamp: header.timestamp,
            parent: parent.timestamp,
        });
    }
    check_gas_limit(header, parent)?;
    // The fee formulas below add to the parent's values unchecked; absurd parents are rejected
    // first so that a forged header is an error, never an overflow panic.
    let sane = |v: Option<u64>| v.is_none_or(|v| v <= u64::MAX / 4);
    if parent.gas_used > parent.gas_limit
        || parent.gas_limit < MIN_GAS_LIMIT
        || !sane(parent.base_fee_per_gas)
        || !sane(parent.excess_blob_gas)
        || !sane(parent.blob_gas_used)
    {
        return Err(ExecError::InvalidHeader(format!(
            "parent header {} has impossible gas fields",
            parent.number
        )));
    }
    let expected = parent.next_block_base_fee(BaseFeeParams::ethereum());
    commitment(header.base_fee_per_gas, expected, |header, expected| {
        ExecError::BaseFeeMismatch { header, expected }
    })?;
    if let Some(used) = header.blob_gas_used {
        let max = fork.blob_params().max_blob_gas_per_block();
        if used % DATA_GAS_PER_BLOB != 0 || used > max {
            return Err(ExecError::InvalidBlobGasUsed { used, max });
        }
    }
    let expected = parent.next_block_excess_blob_gas(fork.blob_params());
    commitment(header.excess_blob_gas, expected, |header, expected| {
        ExecError::ExcessBlobGasMismatch { header, expected }
    })?;
    Ok(())
}

/// Gas used within the gas limit, and the limit within 1/1024 of the parent's, at least 5000
/// and at most 2^63 - 1.
fn check_gas_limit(header: &Header, parent: &Header) -> Result<(), ExecError> {
    if header.gas_used > header.gas_limit {
        return Err(ExecError::GasUsedAboveLimit {
            used: header.gas_used,
            limit: header.gas_limit,
        });
    }
    let max_drift = parent.gas_limit / GAS_LIMIT_BOUND_DIVISOR;
    if header.gas_limit.abs_diff(parent.gas_limit) >= max_drift
        || header.gas_limit < MIN_GAS_LIMIT
        || header.gas_limit > MAX_GAS_LIMIT
    {
        return Err(ExecError::GasLimitOutOfBounds {
            limit: header.gas_limit,
            parent: parent.gas_limit,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_consensus::{BlockBody, Header, EMPTY_ROOT_HASH};
    use alloy_primitives::{Bytes, U256};

    fn block(fork: Fork) -> EthBlock {
        let header = Header {
            base_fee_per_gas: Some(7),
            withdrawals_root: (fork >= Fork::Shanghai).then_some(EMPTY_ROOT_HASH),
            blob_gas_used: (fork >= Fork::Cancun).then_some(0),
            excess_blob_gas: (fork >= Fork::Cancun).then_some(0),
            parent_beacon_block_root: (fork >= Fork::Cancun).then_some(B256::ZERO),
            requests_hash: (fork >= Fork::Prague).then_some(B256::ZERO),
            ..Default::default()
        };
        let body = BlockBody {
            withdrawals: (fork >= Fork::Shanghai).then(Default::default),
            ..Default::default()
        };
        EthBlock { header, body }
    }

    #[test]
    fn post_merge_headers_pass_at_every_fork() {
        for fork in Fork::ALL {
            check_header(&block(fork), fork).unwrap();
        }
    }

    #[test]
    fn merge_rules_are_typed_errors() {
        let mut b = block(Fork::Prague);
        b.body.ommers.push(Header::default());
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::OmmersAfterMerge)
        );
        let mut b = block(Fork::Prague);
        b.header.ommers_hash = B256::ZERO;
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::OmmersAfterMerge)
        );
        let mut b = block(Fork::Prague);
        b.header.difficulty = U256::from(1);
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::NonZeroDifficulty("1".into()))
        );
        let mut b = block(Fork::Prague);
        b.header.nonce = B64::from(42u64);
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::NonZeroNonce(42))
        );
        let mut b = block(Fork::Prague);
        b.header.extra_data = Bytes::from(vec![0; 33]);
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::ExtraDataTooLong(33))
        );
        b.header.extra_data = Bytes::from(vec![0; 32]);
        check_header(&b, Fork::Prague).unwrap();
    }

    #[test]
    fn fork_fields_must_match_the_fork() {
        let b = block(Fork::Cancun);
        assert_eq!(
            check_header(&b, Fork::Prague),
            Err(ExecError::HeaderFieldPresence {
                field: "requestsHash",
                fork: "prague",
                present: false
            })
        );
        assert_eq!(
            check_header(&b, Fork::Shanghai),
            Err(ExecError::HeaderFieldPresence {
                field: "blobGasUsed",
                fork: "shanghai",
                present: true
            })
        );
        let b = block(Fork::Shanghai);
        assert_eq!(
            check_header(&b, Fork::Paris),
            Err(ExecError::HeaderFieldPresence {
                field: "withdrawalsRoot",
                fork: "paris",
                present: true
            })
        );
        let mut b = block(Fork::Paris);
        b.header.base_fee_per_gas = None;
        assert!(matches!(
            check_header(&b, Fork::Paris),
            Err(ExecError::HeaderFieldPresence {
                field: "baseFeePerGas",
                ..
            })
        ));
    }

    #[test]
    fn osaka_limits_the_block_size() {
        let mut b = block(Fork::Osaka);
        // one huge transaction body would be slow to build: stuff the withdrawals instead
        b.body.withdrawals = Some(vec![Default::default(); MAX_BLOCK_RLP / 20].into());
        assert!(matches!(
            check_header(&b, Fork::Osaka),
            Err(ExecError::BlockTooLarge { .. })
        ));
        // before Osaka there is no limit
        check_header(&b, Fork::Prague).unwrap();
    }

    fn parent_and_child(fork: Fork) -> (Header, Header) {
        let parent = Header {
            number: 1,
            timestamp: 100,
            gas_limit: 30_000_000,
            gas_used: 15_000_000,
            ..block(fork).header
        };
        let child = Header {
            number: 2,
            timestamp: 112,
            gas_limit: 30_000_000,
            base_fee_per_gas: parent.next_block_base_fee(BaseFeeParams::ethereum()),
            excess_blob_gas: parent.next_block_excess_blob_gas(fork.blob_params()),
            ..parent.clone()
        };
        (parent, child)
    }

    #[test]
    fn parent_rules_are_typed_errors() {
        let q = Quirks::default();
        for fork in Fork::ALL {
            let (parent, child) = parent_and_child(fork);
            check_against_parent(&child, &parent, fork, q).unwrap();
        }
        let fork = Fork::Osaka;
        let (parent, child) = parent_and_child(fork);
        let check = |h: &Header| check_against_parent(h, &parent, fork, q);

        let mut h = child.clone();
        h.timestamp = parent.timestamp;
        assert_eq!(
            check(&h),
            Err(ExecError::TimestampNotAfterParent {
                timestamp: 100,
                parent: 100
            })
        );
        let equal = Quirks {
            equal_timestamps: true,
            ..q
        };
        check_against_parent(&h, &parent, fork, equal).unwrap();

        let mut h = child.clone();
        h.gas_used = h.gas_limit + 1;
        assert!(matches!(
            check(&h),
            Err(ExecError::GasUsedAboveLimit { .. })
        ));
        for limit in [
            30_000_000 + 30_000_000 / 1024,
            30_000_000 - 30_000_000 / 1024,
        ] {
            let mut h = child.clone();
            h.gas_limit = limit;
            h.gas_used = 0;
            assert_eq!(
                check(&h),
                Err(ExecError::GasLimitOutOfBounds {
                    limit,
                    parent: 30_000_000
                })
            );
        }
        let mut h = child.clone();
        h.gas_limit = 30_000_000 + 30_000_000 / 1024 - 1;
        check(&h).unwrap();

        let mut h = child.clone();
        h.base_fee_per_gas = h.base_fee_per_gas.map(|f| f + 1);
        assert!(matches!(check(&h), Err(ExecError::BaseFeeMismatch { .. })));

        let mut h = child.clone();
        h.excess_blob_gas = Some(1);
        assert!(matches!(
            check(&h),
            Err(ExecError::ExcessBlobGasMismatch { .. })
        ));

        let max = fork.blob_params().max_blob_gas_per_block();
        for used in [1, max + DATA_GAS_PER_BLOB] {
            let mut h = child.clone();
            h.blob_gas_used = Some(used);
            assert_eq!(check(&h), Err(ExecError::InvalidBlobGasUsed { used, max }));
        }
        let mut h = child.clone();
        h.blob_gas_used = Some(max);
        check(&h).unwrap();
    }

    #[test]
    fn blob_gas_used_is_checked_only_from_cancun() {
        let result = BlockExecutionResult::<ReceiptEnvelope> {
            receipts: Vec::new(),
            requests: Default::default(),
            gas_used: 0,
            blob_gas_used: 0,
        };
        for fork in Fork::ALL {
            let mut b = block(fork);
            b.header.receipts_root = EMPTY_ROOT_HASH;
            b.header.requests_hash =
                (fork >= Fork::Prague).then(|| result.requests.requests_hash());
            check_outcome(&b, &result, fork).unwrap();
        }
        let mut b = block(Fork::Shanghai);
        b.header.receipts_root = EMPTY_ROOT_HASH;
        b.header.blob_gas_used = Some(0);
        assert_eq!(
            check_outcome(&b, &result, Fork::Shanghai),
            Err(ExecError::BlobGasUsedMismatch {
                header: Some(0),
                computed: None
            })
        );
    }
}
