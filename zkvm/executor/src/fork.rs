//! Fork names of the prover input mapped to EVM rules and blob parameters.

use alloy_eips::eip7840::BlobParams;
use alloy_evm::eth::spec::EthExecutorSpec;
use alloy_hardforks::{EthereumHardfork, EthereumHardforks, ForkCondition};
use alloy_primitives::Address;
use revm::primitives::hardfork::SpecId;
use serde::{Deserialize, Serialize};

use crate::ExecError;

/// The execution-layer fork a block runs under, as the prover input names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fork {
    /// The merge: proof of stake, PREVRANDAO, no ommers.
    Paris,
    /// EIP-4895 withdrawals, EIP-3855 PUSH0, EIP-3860 initcode limits.
    Shanghai,
    /// EIP-4844 blobs, EIP-4788 beacon root.
    Cancun,
    /// EIP-7702, EIP-2935 history, EIP-7685 requests.
    Prague,
    /// EIP-7825 tx gas cap, EIP-7951 P256, EIP-7918 blob base fee floor.
    Osaka,
    /// Osaka rules with the first blob-parameter-only fork's blob schedule.
    Bpo1,
    /// Osaka rules with the second blob-parameter-only fork's blob schedule.
    Bpo2,
}

impl Fork {
    /// Every fork this executor implements, oldest first.
    pub const ALL: [Fork; 7] = [
        Self::Paris,
        Self::Shanghai,
        Self::Cancun,
        Self::Prague,
        Self::Osaka,
        Self::Bpo1,
        Self::Bpo2,
    ];

    /// Parses the lowercase fork name used by Ethereum specs ("paris", "cancun", "bpo1", ...).
    pub fn parse(name: &str) -> Result<Self, ExecError> {
        Ok(match name {
            "paris" => Self::Paris,
            "shanghai" => Self::Shanghai,
            "cancun" => Self::Cancun,
            "prague" => Self::Prague,
            "osaka" => Self::Osaka,
            "bpo1" => Self::Bpo1,
            "bpo2" => Self::Bpo2,
            other => return Err(ExecError::UnsupportedFork(other.to_string())),
        })
    }

    /// The lowercase spec name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Paris => "paris",
            Self::Shanghai => "shanghai",
            Self::Cancun => "cancun",
            Self::Prague => "prague",
            Self::Osaka => "osaka",
            Self::Bpo1 => "bpo1",
            Self::Bpo2 => "bpo2",
        }
    }

    /// The revm rule set (BPO forks only change blob parameters, so they run Osaka rules).
    pub fn spec_id(self) -> SpecId {
        match self {
            Self::Paris => SpecId::MERGE,
            Self::Shanghai => SpecId::SHANGHAI,
            Self::Cancun => SpecId::CANCUN,
            Self::Prague => SpecId::PRAGUE,
            Self::Osaka | Self::Bpo1 | Self::Bpo2 => SpecId::OSAKA,
        }
    }

    /// Blob gas schedule (target, max, update fraction) in force under this fork. Before
    /// Cancun headers carry no blob fields, so the schedule is never read; Cancun's stands in.
    pub fn blob_params(self) -> BlobParams {
        match self {
            Self::Paris | Self::Shanghai | Self::Cancun => BlobParams::cancun(),
            Self::Prague => BlobParams::prague(),
            Self::Osaka => BlobParams::osaka(),
            Self::Bpo1 => BlobParams::bpo1(),
            Self::Bpo2 => BlobParams::bpo2(),
        }
    }

    fn as_hardfork(self) -> EthereumHardfork {
        match self {
            Self::Paris => EthereumHardfork::Paris,
            Self::Shanghai => EthereumHardfork::Shanghai,
            Self::Cancun => EthereumHardfork::Cancun,
            Self::Prague => EthereumHardfork::Prague,
            Self::Osaka => EthereumHardfork::Osaka,
            Self::Bpo1 => EthereumHardfork::Bpo1,
            Self::Bpo2 => EthereumHardfork::Bpo2,
        }
    }
}

/// Chain rules for alloy-evm's block executor: every fork up to the input's is active from
/// genesis. An L2 proves one block at a time under a known fork, so activation history is moot.
#[derive(Debug, Clone, Copy)]
pub struct ForkSpec {
    fork: Fork,
    deposit_contract: Option<Address>,
}

impl ForkSpec {
    /// Rules for `fork`; `deposit_contract` enables EIP-6110 deposit requests (None on L2s).
    pub fn new(fork: Fork, deposit_contract: Option<Address>) -> Self {
        Self {
            fork,
            deposit_contract,
        }
    }
}

impl EthereumHardforks for ForkSpec {
    fn ethereum_fork_activation(&self, fork: EthereumHardfork) -> ForkCondition {
        use EthereumHardfork as H;
        match fork {
            // The DAO fork is an irregular state change at one block, never on an L2.
            H::Dao => ForkCondition::Never,
            H::Frontier
            | H::Homestead
            | H::Tangerine
            | H::SpuriousDragon
            | H::Byzantium
            | H::Constantinople
            | H::Petersburg
            | H::Istanbul
            | H::MuirGlacier
            | H::Berlin
            | H::London
            | H::ArrowGlacier
            | H::GrayGlacier
            | H::Paris => ForkCondition::Block(0),
            later if later <= self.fork.as_hardfork() => ForkCondition::Timestamp(0),
            _ => ForkCondition::Never,
        }
    }
}

impl EthExecutorSpec for ForkSpec {
    fn deposit_contract_address(&self) -> Option<Address> {
        self.deposit_contract
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_map_to_specs() {
        for (name, spec) in [
            ("paris", SpecId::MERGE),
            ("shanghai", SpecId::SHANGHAI),
            ("cancun", SpecId::CANCUN),
            ("prague", SpecId::PRAGUE),
            ("osaka", SpecId::OSAKA),
            ("bpo1", SpecId::OSAKA),
            ("bpo2", SpecId::OSAKA),
        ] {
            let fork = Fork::parse(name).unwrap();
            assert_eq!(fork.name(), name);
            assert_eq!(fork.spec_id(), spec);
        }
        assert_eq!(
            Fork::parse("Prague"),
            Err(ExecError::UnsupportedFork("Prague".into()))
        );
        assert_eq!(
            Fork::parse("london"),
            Err(ExecError::UnsupportedFork("london".into()))
        );
        assert_eq!(Fork::ALL.map(Fork::name).len(), 7);
    }

    #[test]
    fn spec_activates_forks_up_to_the_named_one() {
        let spec = ForkSpec::new(Fork::Prague, None);
        assert!(spec.is_prague_active_at_timestamp(0));
        assert!(spec.is_cancun_active_at_timestamp(0));
        assert!(!spec.is_osaka_active_at_timestamp(u64::MAX));
        assert_eq!(
            alloy_evm::spec_by_timestamp_and_block_number(&spec, 1, 1),
            SpecId::PRAGUE
        );
        let paris = ForkSpec::new(Fork::Paris, None);
        assert!(paris.is_paris_active_at_block(0));
        assert!(!paris.is_shanghai_active_at_timestamp(u64::MAX));
        assert_eq!(
            alloy_evm::spec_by_timestamp_and_block_number(&paris, 1, 1),
            SpecId::MERGE
        );
        let shanghai = ForkSpec::new(Fork::Shanghai, None);
        assert!(shanghai.is_shanghai_active_at_timestamp(0));
        assert!(!shanghai.is_cancun_active_at_timestamp(u64::MAX));
        let bpo1 = ForkSpec::new(Fork::Bpo1, None);
        assert_eq!(
            alloy_evm::spec_by_timestamp_and_block_number(&bpo1, 1, 1),
            SpecId::OSAKA
        );
    }

    #[test]
    fn blob_schedules_are_mainnets() {
        // (target, max, update fraction) per EIP-4844, EIP-7691 and EIP-7892's mainnet BPOs.
        let schedule = |f: Fork| {
            let p = f.blob_params();
            (p.target_blob_count, p.max_blob_count, p.update_fraction)
        };
        assert_eq!(schedule(Fork::Cancun), (3, 6, 3_338_477));
        assert_eq!(schedule(Fork::Prague), (6, 9, 5_007_716));
        assert_eq!(schedule(Fork::Osaka), (6, 9, 5_007_716));
        assert_eq!(schedule(Fork::Bpo1), (10, 15, 8_346_193));
        assert_eq!(schedule(Fork::Bpo2), (14, 21, 11_684_671));
        // EIP-7918's reserve price applies from Osaka on.
        assert_eq!(Fork::Prague.blob_params().blob_base_cost, 0);
        assert_eq!(Fork::Bpo2.blob_params().blob_base_cost, 1 << 13);
    }
}
