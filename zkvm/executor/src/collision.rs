//! EIP-7610: a contract creation fails when its address already holds storage, even with no
//! code and a zero nonce. revm checks only code and nonce (EIP-684), so this inspector adds the
//! storage check. Only genesis allocations can make such an account, so the executor runs it
//! only when a block loaded one (see [`crate::db::WitnessDb::storage_only_seen`]).

use alloy_evm::eth::EthEvmContext;
use alloy_trie::KECCAK_EMPTY;
use revm::{
    context_interface::{journaled_state::account::JournaledAccountTr, ContextTr, JournalTr},
    inspector::Inspector,
    interpreter::{CreateInputs, CreateOutcome, Gas, InstructionResult, InterpreterResult},
    primitives::Bytes,
};

use crate::db::WitnessDb;

/// revm's call depth limit: deeper creations fail before any collision check.
const CALL_STACK_LIMIT: usize = 1024;

/// Fails creations at addresses with storage the way the spec does: the sender's nonce is
/// bumped, the target is warm, all forwarded gas is spent, and nothing else changes.
#[derive(Debug, Clone, Copy, Default)]
pub struct StorageCollision;

impl Inspector<EthEvmContext<WitnessDb>> for StorageCollision {
    fn create(
        &mut self,
        context: &mut EthEvmContext<WitnessDb>,
        inputs: &mut CreateInputs,
    ) -> Option<CreateOutcome> {
        let journal = context.journal_mut();
        if journal.depth() >= CALL_STACK_LIMIT {
            return None;
        }
        // revm refuses these before its collision check; leave them to it.
        let (nonce, balance) = {
            let caller = journal.load_account(inputs.caller()).ok()?;
            (caller.data.info.nonce, caller.data.info.balance)
        };
        if balance < inputs.value() || nonce == u64::MAX {
            return None;
        }
        let target = inputs.created_address(nonce);
        let account = journal.load_account(target).ok()?;
        // A nonce or code is EIP-684's collision, which revm already handles.
        if account.data.info.nonce != 0 || account.data.info.code_hash != KECCAK_EMPTY {
            return None;
        }
        if !journal.db_mut().has_storage(target).ok()? {
            return None;
        }
        journal
            .load_account_mut(inputs.caller())
            .ok()?
            .data
            .bump_nonce();
        Some(CreateOutcome::new(
            InterpreterResult {
                result: InstructionResult::CreateCollision,
                gas: Gas::new_with_regular_gas_and_reservoir(
                    inputs.gas_limit(),
                    inputs.reservoir(),
                ),
                output: Bytes::new(),
            },
            None,
        ))
    }
}
