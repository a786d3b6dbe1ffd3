//! Runs one blockchain test on the executor and judges the outcome.

use alloy_primitives::{keccak256, Bytes, B256};
use alloy_rlp::Decodable;
use zkvm_executor::{execute, input::EthBlock, ExecError, Fork, NoClock, ProverInput};

use crate::{
    convert::{block_bytes, fork_of, genesis_header, input, state_root, state_witness},
    fixture::Fixture,
};

/// How one test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every valid block verified with the expected roots; every invalid one was refused.
    Pass,
    /// Something disagrees with the fixture: `class` groups failures for the report.
    Fail {
        /// Short failure class ("StateRootMismatch", "AcceptedInvalidBlock", ...).
        class: String,
        /// What exactly went wrong.
        detail: String,
    },
    /// Not run, and why (transition networks, forks the executor does not implement, ...).
    Skip(String),
}

/// One test's verdict with the typed errors its invalid blocks were refused with.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// Lowercase network name ("cancun", "shanghaitocancunattime15k", ...).
    pub network: String,
    /// The verdict.
    pub verdict: Verdict,
    /// (expected exception, our error code) for every invalid block refused.
    pub rejections: Vec<(String, String)>,
    /// Blocks executed as valid.
    pub valid_blocks: usize,
}

fn fail(class: &str, detail: String) -> Verdict {
    Verdict::Fail {
        class: class.to_string(),
        detail,
    }
}

/// Decodes and executes one input; the error's stable code names the refusal.
fn run_input(wire: zkvm_executor::InputWire) -> Result<zkvm_executor::Execution, ExecError> {
    let input = ProverInput::from_wire(wire)?;
    execute(&input, &NoClock)
}

/// Runs `fixture`: the valid blocks as one batch, then each invalid block on top of the
/// valid blocks before it.
pub fn run_test(fixture: &Fixture) -> TestOutcome {
    let mut outcome = TestOutcome {
        network: fixture.network.to_ascii_lowercase(),
        verdict: Verdict::Pass,
        rejections: Vec::new(),
        valid_blocks: 0,
    };
    outcome.verdict = judge(fixture, &mut outcome);
    outcome
}

fn judge(fixture: &Fixture, outcome: &mut TestOutcome) -> Verdict {
    let fork = match fork_of(&fixture.network) {
        Ok(fork) => fork,
        Err(reason) => return Verdict::Skip(reason),
    };
    if let Some(reason) = blob_schedule_differs(fixture, fork) {
        return Verdict::Skip(reason);
    }
    let chain_id = fixture.config.as_ref().map_or(1, |c| c.chainid.to::<u64>());
    let (genesis, genesis_rlp) = match genesis_header(fixture) {
        Ok(g) => g,
        Err(e) => return fail("BadFixture", e),
    };
    let witness = state_witness(&fixture.pre);
    if witness.root != genesis.state_root {
        return fail(
            "PreStateRoot",
            format!(
                "pre-state root {} but the genesis header says {}",
                witness.root, genesis.state_root
            ),
        );
    }
    let genesis_hash = keccak256(&genesis_rlp);

    // The valid chain, and each invalid block with the length of the chain it builds on.
    let mut chain: Vec<Bytes> = Vec::new();
    let mut chain_hashes: Vec<B256> = Vec::new();
    let mut invalid = Vec::new();
    for (index, block) in fixture.blocks.iter().enumerate() {
        match &block.expect_exception {
            Some(exception) => invalid.push((index, chain.len(), exception.clone())),
            None => {
                let Some(bytes) = block_bytes(&block.rlp) else {
                    return fail("BadFixture", format!("block {index}: rlp is not hex"));
                };
                let decoded = match EthBlock::decode(&mut bytes.as_ref()) {
                    Ok(b) => b,
                    Err(e) => {
                        return fail("ValidBlockRlp", format!("valid block {index}: {e}"));
                    }
                };
                let parent = chain_hashes.last().copied().unwrap_or(genesis_hash);
                if decoded.header.parent_hash != parent {
                    return Verdict::Skip("side chain or reorg (blocks not one chain)".into());
                }
                chain_hashes.push(decoded.header.hash_slow());
                chain.push(bytes);
            }
        }
    }
    outcome.valid_blocks = chain.len();

    let expected_root = match (&fixture.post_state, fixture.post_state_hash) {
        (Some(post), _) => state_root(post),
        (None, Some(root)) => root,
        (None, None) => return fail("BadFixture", "no postState nor postStateHash".into()),
    };
    if chain.is_empty() {
        if fixture.lastblockhash != genesis_hash {
            return fail(
                "LastBlockHash",
                "no valid block, but lastblockhash is not the genesis hash".into(),
            );
        }
        if expected_root != genesis.state_root {
            return fail(
                "PostStateRoot",
                "no valid block, but post-state differs".into(),
            );
        }
    } else {
        let wire = input(chain_id, fork, &witness, &genesis_rlp, chain.clone());
        match run_input(wire) {
            Err(e) => return fail(e.code(), format!("valid chain refused: {e}")),
            Ok(exec) => {
                if exec.journal.last_block_hash != fixture.lastblockhash {
                    return fail(
                        "LastBlockHash",
                        format!(
                            "last block hash {} but the fixture says {}",
                            exec.journal.last_block_hash, fixture.lastblockhash
                        ),
                    );
                }
                if exec.journal.post_state_root != expected_root {
                    return fail(
                        "PostStateRoot",
                        format!(
                            "post-state root {} but the fixture's post-state has {}",
                            exec.journal.post_state_root, expected_root
                        ),
                    );
                }
            }
        }
    }

    for (index, prefix, exception) in invalid {
        let Some(bytes) = block_bytes(&fixture.blocks[index].rlp) else {
            // The JSON interchange format would not even carry it.
            outcome.rejections.push((exception, "Json".into()));
            continue;
        };
        let mut blocks = chain[..prefix].to_vec();
        blocks.push(bytes);
        let wire = input(chain_id, fork, &witness, &genesis_rlp, blocks);
        match run_input(wire) {
            Ok(_) => {
                return fail(
                    "AcceptedInvalidBlock",
                    format!("block {index} verified, but must fail with {exception}"),
                )
            }
            Err(e) => outcome.rejections.push((exception, e.code().to_string())),
        }
    }
    Verdict::Pass
}

/// The fixture's blob schedule for `fork`, where it differs from the executor's.
fn blob_schedule_differs(fixture: &Fixture, fork: Fork) -> Option<String> {
    let key = match fork {
        Fork::Paris | Fork::Shanghai => return None,
        Fork::Cancun => "Cancun",
        Fork::Prague => "Prague",
        Fork::Osaka => "Osaka",
        Fork::Bpo1 => "BPO1",
        Fork::Bpo2 => "BPO2",
    };
    let entry = fixture.config.as_ref()?.blob_schedule.get(key)?;
    let ours = fork.blob_params();
    let theirs = (
        entry.target.to::<u64>(),
        entry.max.to::<u64>(),
        entry.base_fee_update_fraction.to::<u128>(),
    );
    let mine = (
        ours.target_blob_count,
        ours.max_blob_count,
        ours.update_fraction,
    );
    (theirs != mine).then(|| {
        format!(
            "blob schedule {theirs:?} differs from {}'s {mine:?}",
            fork.name()
        )
    })
}
