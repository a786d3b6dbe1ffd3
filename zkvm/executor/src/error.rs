//! Every way a prover input or block can be rejected, as one typed enum.

use alloy_primitives::{Bloom, B256};

use crate::trie::TrieError;

/// What went wrong, in the two classes the host's exit codes separate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input itself is unusable (format, version, fork): exit code 2.
    BadInput,
    /// The input is well-formed but the block (or its witness) does not check out: exit code 3.
    InvalidBlock,
}

/// Rejection of a prover input or its block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// The JSON envelope is malformed.
    #[error("malformed prover input JSON: {0}")]
    Json(String),
    /// The binary envelope is malformed.
    #[error("malformed prover input encoding: {0}")]
    Encoding(String),
    /// The input declares a version this executor does not speak.
    #[error("unsupported prover input version {0} (this executor reads versions 1 and 2)")]
    UnsupportedVersion(u64),
    /// The input's fields do not fit its version (e.g. version 2 without `blocks`).
    #[error("malformed prover input: {0}")]
    InputShape(String),
    /// This build refuses inputs with quirks (the settlement guest proves spec rules only).
    #[error("this build proves spec rules only and refuses quirks {0:?}; prove dev chains with the dev guest (RISC0_DEV_MODE=1) or the exec backend")]
    QuirksRefused(Vec<String>),
    /// The input names a fork this executor does not implement.
    #[error(
        "unsupported fork {0:?} (supported: paris, shanghai, cancun, prague, osaka, bpo1, bpo2)"
    )]
    UnsupportedFork(String),
    /// The input asks for a spec deviation this executor does not know.
    #[error("unsupported quirk {0:?} (known: anvil, keepLoadedAccounts, keepLoadedStorageSlots, noBeaconRootCall, noRequestCalls, equalTimestamps, sidecarsInBody)")]
    UnsupportedQuirk(String),
    /// A field holds bytes that do not decode as what it claims to be.
    #[error("bad RLP in {what}: {reason}")]
    Rlp {
        /// Which field ("block", "witness.headers[3]", ...).
        what: String,
        /// Decoder message.
        reason: String,
    },

    /// A block of a batch does not follow the one before it.
    #[error("block {index} of the batch (number {number}) does not follow block {prev_number}: its parent hash {parent_hash} is not {prev_hash}")]
    BatchNotConsecutive {
        /// Position in the batch.
        index: usize,
        /// Its number.
        number: u64,
        /// Its parent hash.
        parent_hash: B256,
        /// Number of the block before it in the batch.
        prev_number: u64,
        /// Hash of the block before it in the batch.
        prev_hash: B256,
    },
    /// The header chain in the witness lacks the block's parent.
    #[error("witness has no header with the block's parent hash {0}")]
    MissingParentHeader(B256),
    /// The parent header's number is not block number - 1.
    #[error("parent header number {parent} does not precede block number {block}")]
    ParentNumberMismatch {
        /// Number in the parent header.
        parent: u64,
        /// Number in the block header.
        block: u64,
    },
    /// BLOCKHASH asked for an ancestor the witness headers do not reach.
    #[error("witness headers do not reach ancestor block {0} (needed by BLOCKHASH)")]
    MissingAncestor(u64),
    /// A trie walk failed (missing or malformed witness node).
    #[error(transparent)]
    Trie(#[from] TrieError),
    /// A contract's code is not among the witness codes.
    #[error("witness is missing bytecode with hash {0}")]
    MissingCode(B256),
    /// An account leaf in the state trie is not a valid account.
    #[error("state trie holds a malformed account for key {key}: {reason}")]
    InvalidAccount {
        /// keccak256 of the address.
        key: B256,
        /// Decoder message.
        reason: String,
    },
    /// A transaction signature does not recover to a sender.
    #[error("transaction {index} has an invalid signature")]
    InvalidSignature {
        /// Position in the block.
        index: usize,
    },
    /// The EVM refused a transaction (nonce, balance, fees, intrinsic gas, gas limits, type
    /// rules): the block is invalid.
    #[error("transaction {index} is invalid: {reason}")]
    InvalidTransaction {
        /// Position in the block.
        index: usize,
        /// revm's reason.
        reason: String,
    },
    /// A system call (EIP-4788 beacon root, EIP-2935 history, EIP-7002 withdrawal or EIP-7251
    /// consolidation requests) failed, or a required system input is missing.
    #[error("system call failed: {0}")]
    SystemCall(String),
    /// A deposit-contract log does not have the EIP-6110 layout.
    #[error("invalid deposit event: {0}")]
    InvalidDepositEvent(String),
    /// The EVM or block executor failed in another way.
    #[error("block execution failed: {0}")]
    Execution(String),
    /// A blob transaction in the body carries its sidecar (network form, not block form).
    #[error("transaction {index} carries a blob sidecar inside the block body")]
    SidecarInBody {
        /// Position in the block.
        index: usize,
    },
    /// A header field contradicts its parent or the fork rules.
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    /// The timestamp is not after the parent's.
    #[error("timestamp {timestamp} is not after the parent's {parent}")]
    TimestampNotAfterParent {
        /// The block's timestamp.
        timestamp: u64,
        /// The parent's timestamp.
        parent: u64,
    },
    /// The header's gas used exceeds its gas limit.
    #[error("gas used {used} is above the gas limit {limit}")]
    GasUsedAboveLimit {
        /// Gas used in the header.
        used: u64,
        /// Gas limit in the header.
        limit: u64,
    },
    /// The gas limit moved by parent/1024 or more, or is below 5000 or above 2^63 - 1.
    #[error("gas limit {limit} is out of bounds (parent's {parent})")]
    GasLimitOutOfBounds {
        /// The block's gas limit.
        limit: u64,
        /// The parent's gas limit.
        parent: u64,
    },
    /// The base fee is not the EIP-1559 successor of the parent's.
    #[error("base fee {header:?} is not the expected {expected:?}")]
    BaseFeeMismatch {
        /// Base fee in the header.
        header: Option<u64>,
        /// Base fee the parent implies.
        expected: Option<u64>,
    },
    /// The excess blob gas is not what the parent implies (EIP-4844, EIP-7918).
    #[error("excess blob gas {header:?} is not the expected {expected:?}")]
    ExcessBlobGasMismatch {
        /// Excess blob gas in the header.
        header: Option<u64>,
        /// Excess blob gas the parent and the fork's blob schedule imply.
        expected: Option<u64>,
    },
    /// The header's blob gas used is not a whole number of blobs or above the fork's maximum.
    #[error("blob gas used {used} is not a multiple of 131072 at most {max}")]
    InvalidBlobGasUsed {
        /// Blob gas used in the header.
        used: u64,
        /// The fork's maximum per block.
        max: u64,
    },
    /// After the merge a block has no ommers (EIP-3675).
    #[error("block has ommers (or a non-empty ommers hash) after the merge")]
    OmmersAfterMerge,
    /// After the merge the difficulty is zero (EIP-3675).
    #[error("header difficulty {0} is not zero after the merge")]
    NonZeroDifficulty(String),
    /// After the merge the nonce is zero (EIP-3675).
    #[error("header nonce {0} is not zero after the merge")]
    NonZeroNonce(u64),
    /// Extra data holds at most 32 bytes.
    #[error("header extra data is {0} bytes (at most 32)")]
    ExtraDataTooLong(usize),
    /// A header field the fork requires is absent, or one it does not know is present.
    #[error("header field {field} is {} under {fork}", if *.present { "present" } else { "absent" })]
    HeaderFieldPresence {
        /// The field (withdrawalsRoot, blobGasUsed, ...).
        field: &'static str,
        /// The fork of the input.
        fork: &'static str,
        /// Whether the header has it.
        present: bool,
    },
    /// The block's RLP exceeds EIP-7934's limit (Osaka on).
    #[error("block RLP is {size} bytes, above the {limit}-byte limit (EIP-7934)")]
    BlockTooLarge {
        /// Encoded size.
        size: usize,
        /// The limit.
        limit: usize,
    },

    /// Computed post-state root differs from the header's.
    #[error("post-state root mismatch: header {header} computed {computed}")]
    StateRootMismatch {
        /// Root in the header.
        header: B256,
        /// Root after execution.
        computed: B256,
    },
    /// Computed receipts root differs from the header's.
    #[error("receipts root mismatch: header {header} computed {computed}")]
    ReceiptsRootMismatch {
        /// Root in the header.
        header: B256,
        /// Root of the executed receipts.
        computed: B256,
    },
    /// Computed transactions root differs from the header's.
    #[error("transactions root mismatch: header {header} computed {computed}")]
    TransactionsRootMismatch {
        /// Root in the header.
        header: B256,
        /// Root of the block body's transactions.
        computed: B256,
    },
    /// Computed withdrawals root differs from the header's (or presence differs).
    #[error("withdrawals root mismatch: header {header:?} computed {computed:?}")]
    WithdrawalsRootMismatch {
        /// Root in the header.
        header: Option<B256>,
        /// Root of the block body's withdrawals.
        computed: Option<B256>,
    },
    /// Ommers hash differs from the header's.
    #[error("ommers hash mismatch: header {header} computed {computed}")]
    OmmersHashMismatch {
        /// Hash in the header.
        header: B256,
        /// Hash of the block body's ommers.
        computed: B256,
    },
    /// Computed requests hash (EIP-7685) differs from the header's.
    #[error("requests hash mismatch: header {header:?} computed {computed:?}")]
    RequestsHashMismatch {
        /// Hash in the header.
        header: Option<B256>,
        /// Hash of the requests the block produced.
        computed: Option<B256>,
    },
    /// Logs bloom differs from the header's.
    #[error("logs bloom mismatch: header {header} computed {computed}")]
    LogsBloomMismatch {
        /// Bloom in the header.
        header: Box<Bloom>,
        /// Bloom of the executed receipts.
        computed: Box<Bloom>,
    },
    /// Gas used differs from the header's.
    #[error("gas used mismatch: header {header} computed {computed}")]
    GasUsedMismatch {
        /// Gas in the header.
        header: u64,
        /// Gas the transactions used.
        computed: u64,
    },
    /// Blob gas used differs from the header's.
    #[error("blob gas used mismatch: header {header:?} computed {computed:?}")]
    BlobGasUsedMismatch {
        /// Blob gas in the header.
        header: Option<u64>,
        /// Blob gas the transactions used (None before Cancun, which has no such field).
        computed: Option<u64>,
    },
}

impl ExecError {
    /// Whether this is bad input (exit 2) or an invalid block (exit 3).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Json(_)
            | Self::Encoding(_)
            | Self::UnsupportedVersion(_)
            | Self::UnsupportedFork(_)
            | Self::UnsupportedQuirk(_)
            | Self::InputShape(_)
            | Self::QuirksRefused(_)
            | Self::Rlp { .. } => ErrorKind::BadInput,
            _ => ErrorKind::InvalidBlock,
        }
    }

    /// Stable CamelCase name of the variant, for machine-readable reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(_) => "Json",
            Self::Encoding(_) => "Encoding",
            Self::UnsupportedVersion(_) => "UnsupportedVersion",
            Self::UnsupportedFork(_) => "UnsupportedFork",
            Self::UnsupportedQuirk(_) => "UnsupportedQuirk",
            Self::InputShape(_) => "InputShape",
            Self::QuirksRefused(_) => "QuirksRefused",
            Self::BatchNotConsecutive { .. } => "BatchNotConsecutive",
            Self::Rlp { .. } => "Rlp",
            Self::MissingParentHeader(_) => "MissingParentHeader",
            Self::ParentNumberMismatch { .. } => "ParentNumberMismatch",
            Self::MissingAncestor(_) => "MissingAncestor",
            Self::Trie(TrieError::MissingNode(_)) => "MissingNode",
            Self::Trie(TrieError::InvalidNode { .. }) => "InvalidNode",
            Self::Trie(TrieError::KeyInBranch) => "InvalidTrie",
            Self::MissingCode(_) => "MissingCode",
            Self::InvalidAccount { .. } => "InvalidAccount",
            Self::InvalidSignature { .. } => "InvalidSignature",
            Self::InvalidTransaction { .. } => "InvalidTransaction",
            Self::SystemCall(_) => "SystemCall",
            Self::InvalidDepositEvent(_) => "InvalidDepositEvent",
            Self::Execution(_) => "Execution",
            Self::InvalidHeader(_) => "InvalidHeader",
            Self::TimestampNotAfterParent { .. } => "TimestampNotAfterParent",
            Self::GasUsedAboveLimit { .. } => "GasUsedAboveLimit",
            Self::GasLimitOutOfBounds { .. } => "GasLimitOutOfBounds",
            Self::BaseFeeMismatch { .. } => "BaseFeeMismatch",
            Self::ExcessBlobGasMismatch { .. } => "ExcessBlobGasMismatch",
            Self::InvalidBlobGasUsed { .. } => "InvalidBlobGasUsed",
            Self::OmmersAfterMerge => "OmmersAfterMerge",
            Self::NonZeroDifficulty(_) => "NonZeroDifficulty",
            Self::NonZeroNonce(_) => "NonZeroNonce",
            Self::ExtraDataTooLong(_) => "ExtraDataTooLong",
            Self::HeaderFieldPresence { .. } => "HeaderFieldPresence",
            Self::BlockTooLarge { .. } => "BlockTooLarge",
            Self::SidecarInBody { .. } => "SidecarInBody",
            Self::StateRootMismatch { .. } => "StateRootMismatch",
            Self::ReceiptsRootMismatch { .. } => "ReceiptsRootMismatch",
            Self::TransactionsRootMismatch { .. } => "TransactionsRootMismatch",
            Self::WithdrawalsRootMismatch { .. } => "WithdrawalsRootMismatch",
            Self::OmmersHashMismatch { .. } => "OmmersHashMismatch",
            Self::RequestsHashMismatch { .. } => "RequestsHashMismatch",
            Self::LogsBloomMismatch { .. } => "LogsBloomMismatch",
            Self::GasUsedMismatch { .. } => "GasUsedMismatch",
            Self::BlobGasUsedMismatch { .. } => "BlobGasUsedMismatch",
        }
    }
}
