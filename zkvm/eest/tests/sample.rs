//! The committed EEST sample (tests/sample/*.json.gz): every test passes on the executor, every
//! fork from Paris to Osaka is covered, and so are the corner cases no dev chain produces.

use std::collections::BTreeMap;

use alloy_primitives::keccak256;
use zkvm_eest::{
    convert::genesis_header,
    fixture::FixtureFile,
    report::Report,
    run::{run_test, Verdict},
    source::gunzip,
};

fn sample() -> FixtureFile {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sample");
    let mut all = FixtureFile::new();
    for fork in ["paris", "shanghai", "cancun", "prague", "osaka"] {
        let raw = std::fs::read(format!("{dir}/{fork}.json.gz")).expect("sample bundle");
        let text = gunzip(&raw).expect("gzip");
        let tests: FixtureFile = serde_json::from_slice(&text).expect("fixture JSON");
        all.extend(tests);
    }
    all
}

#[test]
fn every_sample_test_passes() {
    let tests = sample();
    let mut report = Report::default();
    let mut failed = Vec::new();
    for (name, fixture) in &tests {
        let outcome = run_test(fixture);
        if outcome.verdict != Verdict::Pass {
            failed.push(format!("{name}: {:?}", outcome.verdict));
        }
        report.add(name, outcome);
    }
    println!("{}", report.render(3));
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(tests.len() >= 300, "sample has {} tests", tests.len());
    for network in ["paris", "shanghai", "cancun", "prague", "osaka"] {
        let passed = report.by_network.get(network).map_or(0, |c| c.pass);
        assert!(passed >= 20, "{network}: only {passed} tests");
    }
}

#[test]
fn sample_covers_the_corner_cases() {
    let tests = sample();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let cases = [
        "eip7610_create_collision/test_initcollision.py::test_init_collision_create_tx",
        "eip7610_create_collision/test_initcollision.py::test_init_collision_create_opcode",
        "eip4788_beacon_root",
        "eip2935_historical_block_hashes_from_state",
        "eip7002_el_triggerable_withdrawals",
        "eip7251_consolidations",
        "eip6110_deposits",
        "eip4844_blobs",
        "eip7918_blob_reserve_price",
        "eip7702_set_code_tx",
        "eip4895_withdrawals",
    ];
    for name in tests.keys() {
        for case in cases {
            if name.contains(case) {
                *counts.entry(case).or_default() += 1;
            }
        }
    }
    for case in cases {
        assert!(
            counts.get(case).copied().unwrap_or(0) >= 2,
            "{case}: {counts:?}"
        );
    }
    // Invalid blocks are in the sample too, and each must be refused (run_test checks that).
    let invalid = (tests.values())
        .filter(|f| f.blocks.iter().any(|b| b.expect_exception.is_some()))
        .count();
    assert!(invalid >= 30, "only {invalid} tests with invalid blocks");
}

#[test]
fn a_test_with_a_wrong_post_state_fails() {
    let tests = sample();
    let (_, fixture) = (tests.iter())
        .find(|(name, f)| name.contains("eip4895") && f.blocks.len() == 1)
        .expect("a withdrawals test");
    let mut wrong = fixture.clone();
    wrong.post_state_hash = Some(Default::default());
    assert!(matches!(
        run_test(&wrong).verdict,
        Verdict::Fail { ref class, .. } if class == "PostStateRoot"
    ));
    // The valid block declared invalid: the chain stays at genesis, and the block must be refused.
    let mut wrong = fixture.clone();
    let (genesis, rlp) = genesis_header(fixture).unwrap();
    wrong.lastblockhash = keccak256(&rlp);
    wrong.post_state_hash = Some(genesis.state_root);
    wrong.blocks[0].expect_exception = Some("BlockException.MADE_UP".into());
    assert!(matches!(
        run_test(&wrong).verdict,
        Verdict::Fail { ref class, .. } if class == "AcceptedInvalidBlock"
    ));
}
