//! The command-line contract of docs/zkvm-host.md, exercised on the built binary.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../executor/tests/data")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-host-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn host(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkvm-host"))
        .args(args)
        .output()
        .unwrap()
}

fn run(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    host(&args)
}

fn events(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn result(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn valid_block_exits_0_with_journal_and_progress() {
    let out_path = scratch("ok.json");
    let out = run(&data("prague-busy.json"), &out_path, &["--backend", "exec"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = result(&out_path);
    assert_eq!(r["ok"], true);
    assert_eq!(r["version"], 2);
    assert_eq!(r["backend"], "exec");
    assert_eq!(r["mode"], "exec");
    let zero = format!("0x{}", "00".repeat(32));
    assert_eq!(r["imageId"], zero.as_str());
    let seal = r["seal"].as_str().unwrap();
    assert!(
        seal.starts_with("0xffffffff") && seal.len() == 2 + 36 * 2,
        "{seal}"
    );
    assert_eq!(r["journal"].as_str().unwrap().len(), 2 + 256 * 2);
    assert_eq!(r["journalDigest"].as_str().unwrap().len(), 2 + 64);
    assert_eq!(r["block"]["chainId"], 31337);
    assert_eq!(r["block"]["txCount"], 24);
    assert_eq!(r["batch"]["firstBlock"], r["batch"]["lastBlock"]);
    assert_eq!(r["batch"]["blocks"].as_array().unwrap().len(), 1);

    // Another image id names another claim, hence another seal.
    let id = format!("0x{}", "11".repeat(32));
    let other = scratch("ok-id.json");
    let out = run(&data("prague-busy.json"), &other, &["--image-id", &id]);
    assert_eq!(out.status.code(), Some(0));
    let r2 = result(&other);
    assert_eq!(r2["imageId"], id.as_str());
    assert_eq!(r2["journal"], r["journal"]);
    assert_ne!(r2["seal"], r["seal"]);
    let phases: Vec<String> = events(&out)
        .iter()
        .filter(|e| e["event"] == "phase")
        .map(|e| e["phase"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(phases, ["decode", "witness", "execute", "stateRoot"]);
    assert!(events(&out).iter().any(|e| e["event"] == "done"));
}

#[test]
fn invalid_block_exits_3_and_still_writes_the_result() {
    let text = std::fs::read_to_string(data("bpo1-transfer.json")).unwrap();
    let mut input: Value = serde_json::from_str(&text).unwrap();
    input["witness"]["state"] = Value::Array(vec![]);
    let in_path = scratch("no-nodes.json");
    std::fs::write(&in_path, input.to_string()).unwrap();
    let out_path = scratch("no-nodes-result.json");
    let out = run(&in_path, &out_path, &[]);
    assert_eq!(out.status.code(), Some(3));
    let r = result(&out_path);
    assert_eq!(r["ok"], false);
    assert_eq!(r["error"]["kind"], "invalid_block");
    assert_eq!(r["error"]["code"], "MissingNode");
    let err = events(&out)
        .into_iter()
        .find(|e| e["event"] == "error")
        .unwrap();
    assert_eq!(err["code"], "MissingNode");
}

#[test]
fn bad_input_exits_2() {
    let out_path = scratch("bad.json");
    let out = run(Path::new("/nonexistent/input.json"), &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(result(&out_path)["error"]["code"], "Unreadable");

    let in_path = scratch("garbage.json");
    std::fs::write(&in_path, "not json").unwrap();
    let out = run(&in_path, &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(result(&out_path)["error"]["code"], "Json");

    assert_eq!(host(&["run", "--input", "x.json"]).status.code(), Some(2));
    assert_eq!(host(&["--version"]).status.code(), Some(0));
}

#[cfg(not(feature = "risc0"))]
#[test]
fn risc0_without_the_feature_exits_4() {
    let out_path = scratch("risc0.json");
    let out = run(
        &data("bpo1-transfer.json"),
        &out_path,
        &["--backend", "risc0"],
    );
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(result(&out_path)["error"]["kind"], "backend_unavailable");
    assert_eq!(host(&["image-id"]).status.code(), Some(4));
}
