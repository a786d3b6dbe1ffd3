//! Ethereum's execution-spec-tests (EEST) blockchain tests on the stateless executor.
//!
//! A blockchain-test fixture holds a genesis block, a pre-state, blocks (some of them meant to
//! be rejected) and the expected post-state. [`convert`] turns one into prover inputs: the whole
//! pre-state as a witness (every account and storage trie node, every code), the genesis header
//! as the parent, the valid blocks as one batch. [`run`] executes them with
//! [`zkvm_executor::execute`], the function the zkVM guest runs, and checks the fixture's
//! post-state root and last block hash; every block with `expectException` must be refused with
//! a typed error.

pub mod convert;
pub mod fixture;
pub mod report;
pub mod run;
pub mod source;
