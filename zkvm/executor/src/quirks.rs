//! Named, opt-in deviations from the Ethereum spec that a real node is known to make.
//!
//! A proof made with a quirk attests the node's rules, not Ethereum's: quirks exist so dev
//! chains (anvil) can be proven end to end, and the input has to ask for each one by name.

use crate::ExecError;

/// Never remove an account, and put every account the block loads into the trie (absent ones
/// as empty leaves): no EIP-161 state clearing, self-destructed accounts stay as empty leaves.
pub const KEEP_LOADED_ACCOUNTS: &str = "keepLoadedAccounts";
/// Skip the EIP-4788 beacon-root pre-block system call.
pub const NO_BEACON_ROOT_CALL: &str = "noBeaconRootCall";
/// Skip the EIP-7002/7251 post-block system calls (so only deposit requests are collected).
pub const NO_REQUEST_CALLS: &str = "noRequestCalls";
/// Keep every storage slot a touched account loaded as a leaf, zero-valued ones included.
pub const KEEP_LOADED_STORAGE_SLOTS: &str = "keepLoadedStorageSlots";
/// Accept a block whose timestamp equals its parent's (anvil mines several blocks a second).
pub const EQUAL_TIMESTAMPS: &str = "equalTimestamps";
/// Blob transactions appear in the block body with their sidecars, and the transactions root
/// commits to that network encoding (anvil computes it that way).
pub const SIDECARS_IN_BODY: &str = "sidecarsInBody";
/// Preset: exactly what anvil 1.x does (all of the above).
pub const ANVIL: &str = "anvil";

/// The quirks an input asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// Accounts are never removed, and every account the block loads ends up in the trie.
    pub keep_loaded_accounts: bool,
    /// The EIP-4788 system call is not made.
    pub no_beacon_root_call: bool,
    /// The EIP-7002 and EIP-7251 system calls are not made.
    pub no_request_calls: bool,
    /// Slots a touched account loaded stay in its storage trie at their value, even zero.
    pub keep_loaded_storage_slots: bool,
    /// A block may carry its parent's timestamp.
    pub equal_timestamps: bool,
    /// Blob transactions may carry sidecars inside the block body.
    pub sidecars_in_body: bool,
}

impl Quirks {
    /// Parses quirk names; an unknown name is bad input, never silently ignored.
    pub fn parse(names: &[String]) -> Result<Self, ExecError> {
        let mut q = Self::default();
        for name in names {
            match name.as_str() {
                KEEP_LOADED_ACCOUNTS => q.keep_loaded_accounts = true,
                NO_BEACON_ROOT_CALL => q.no_beacon_root_call = true,
                NO_REQUEST_CALLS => q.no_request_calls = true,
                KEEP_LOADED_STORAGE_SLOTS => q.keep_loaded_storage_slots = true,
                EQUAL_TIMESTAMPS => q.equal_timestamps = true,
                SIDECARS_IN_BODY => q.sidecars_in_body = true,
                ANVIL => {
                    q.sidecars_in_body = true;
                    q.equal_timestamps = true;
                    q.keep_loaded_storage_slots = true;
                    q.keep_loaded_accounts = true;
                    q.no_beacon_root_call = true;
                    q.no_request_calls = true;
                }
                other => return Err(ExecError::UnsupportedQuirk(other.to_string())),
            }
        }
        Ok(q)
    }

    /// The names of the quirks that are on, one per quirk (presets expanded).
    pub fn names(&self) -> Vec<String> {
        [
            (self.keep_loaded_accounts, KEEP_LOADED_ACCOUNTS),
            (self.no_beacon_root_call, NO_BEACON_ROOT_CALL),
            (self.no_request_calls, NO_REQUEST_CALLS),
            (self.keep_loaded_storage_slots, KEEP_LOADED_STORAGE_SLOTS),
            (self.equal_timestamps, EQUAL_TIMESTAMPS),
            (self.sidecars_in_body, SIDECARS_IN_BODY),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name.to_string())
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_and_rejects_unknown() {
        let q = Quirks::parse(&[KEEP_LOADED_ACCOUNTS.to_string()]).unwrap();
        assert!(q.keep_loaded_accounts && !q.no_beacon_root_call);
        assert_eq!(Quirks::parse(&q.names()).unwrap(), q);
        let anvil = Quirks::parse(&[ANVIL.to_string()]).unwrap();
        assert_eq!(anvil.names().len(), 6);
        assert_eq!(Quirks::parse(&anvil.names()).unwrap(), anvil);
        assert_eq!(Quirks::parse(&[]).unwrap(), Quirks::default());
        assert_eq!(
            Quirks::parse(&["noGas".to_string()]),
            Err(ExecError::UnsupportedQuirk("noGas".into()))
        );
    }
}
