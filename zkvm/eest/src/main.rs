//! `eest`: runs Ethereum's execution-spec-tests blockchain fixtures on the stateless executor
//! (`make test-eest`), converts one test to prover inputs, or strips fixtures to a small sample.

use std::{
    path::PathBuf,
    process::ExitCode,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Mutex,
    },
};

use clap::{Parser, Subcommand};
use zkvm_eest::{
    convert::{block_bytes, fork_of, genesis_header, input, state_root, state_witness},
    fixture::FixtureFile,
    report::Report,
    run::run_test,
    source::{gunzip, gzip, Source},
};

#[derive(Parser)]
#[command(
    name = "eest",
    about = "execution-spec-tests blockchain fixtures on the stateless executor"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args)]
struct SourceArgs {
    /// Fixture files or directories (default: $EEST_FIXTURES, a directory or a git repository).
    paths: Vec<PathBuf>,
    /// Read fixtures from this git repository (bare mirrors too) instead of files.
    #[arg(long)]
    git: Option<PathBuf>,
    /// Revision of --git to read.
    #[arg(long, default_value = "HEAD")]
    rev: String,
    /// Folder inside --git (repeatable).
    #[arg(long, default_value = "blockchain_tests")]
    prefix: Vec<String>,
    /// Only files whose path contains this string.
    #[arg(long)]
    filter: Option<String>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run fixtures and print pass/fail/skip counts per network and failure class.
    Run {
        #[command(flatten)]
        source: SourceArgs,
        /// Failing tests named per failure class.
        #[arg(long, default_value_t = 5)]
        examples: usize,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Exit 1 if any test fails.
        #[arg(long)]
        strict: bool,
    },
    /// Write the prover inputs of one test: the valid chain, and each invalid block on it.
    Convert {
        /// Fixture file.
        file: PathBuf,
        /// Test name (a substring picks the first match).
        #[arg(long)]
        test: String,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Copy fixtures with only the fields the runner reads (the post-state as its root),
    /// keeping tests up to a size.
    Strip {
        #[command(flatten)]
        source: SourceArgs,
        /// Output directory (files keep their relative path), or one `.json.gz` file that
        /// gathers every kept test (added to what it already holds).
        #[arg(long)]
        out: PathBuf,
        /// Only tests whose name contains this string.
        #[arg(long = "match")]
        matching: Option<String>,
        /// Largest stripped test, in bytes, to keep.
        #[arg(long, default_value_t = 40_000)]
        max_test_bytes: usize,
        /// At most this many tests per file.
        #[arg(long, default_value_t = 4)]
        per_file: usize,
        /// Only these networks (comma-separated, as in the fixture).
        #[arg(long, default_value = "Paris,Shanghai,Cancun,Prague,Osaka")]
        networks: String,
    },
}

fn source_of(args: &SourceArgs) -> Result<Source, String> {
    let git = args.git.clone().or_else(|| {
        let env = std::env::var_os("EEST_FIXTURES").map(PathBuf::from)?;
        (args.paths.is_empty() && is_git_dir(&env)).then_some(env)
    });
    if let Some(repo) = git {
        return Ok(Source::Git {
            repo,
            rev: args.rev.clone(),
            prefixes: args.prefix.clone(),
        });
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        match std::env::var_os("EEST_FIXTURES") {
            Some(p) => paths.push(p.into()),
            None => return Err("no fixtures: give paths, --git or EEST_FIXTURES".into()),
        }
    }
    Ok(Source::Files(paths))
}

fn is_git_dir(p: &std::path::Path) -> bool {
    p.join("HEAD").is_file() && p.join("objects").is_dir()
}

fn files_of(source: &Source, args: &SourceArgs) -> Result<Vec<String>, String> {
    let mut files = source.list()?;
    if let Some(f) = &args.filter {
        files.retain(|name| name.contains(f.as_str()));
    }
    Ok(files)
}

fn run(args: &SourceArgs, examples: usize, jobs: usize, strict: bool) -> Result<bool, String> {
    let source = source_of(args)?;
    let files = files_of(&source, args)?;
    let report = Mutex::new(Report::default());
    let next = AtomicUsize::new(0);
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                let mut reader = match source.reader() {
                    Ok(r) => r,
                    Err(e) => return report.lock().unwrap().bad_files.push(("*".into(), e)),
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = files.get(i) else { break };
                    let parsed = reader.read(name).and_then(|bytes| {
                        serde_json::from_slice::<FixtureFile>(&bytes)
                            .map_err(|e| format!("not a blockchain-test file: {e}"))
                    });
                    let tests = match parsed {
                        Ok(t) => t,
                        Err(e) => {
                            report.lock().unwrap().bad_files.push((name.clone(), e));
                            continue;
                        }
                    };
                    for (test, fixture) in tests {
                        let outcome = run_test(&fixture);
                        report.lock().unwrap().add(&test, outcome);
                    }
                }
            });
        }
    });
    let report = report.into_inner().unwrap();
    print!("{}", report.render(examples));
    println!(
        "\n{} files in {:.1}s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(!strict || report.total().fail == 0)
}

fn convert(file: &PathBuf, test: &str, out: &PathBuf) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let tests: FixtureFile = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let (name, fixture) = tests
        .iter()
        .find(|(name, _)| name.contains(test))
        .ok_or_else(|| format!("no test named like {test:?}"))?;
    let fork = fork_of(&fixture.network)?;
    let chain_id = fixture.config.as_ref().map_or(1, |c| c.chainid.to::<u64>());
    let (_, genesis_rlp) = genesis_header(fixture)?;
    let witness = state_witness(&fixture.pre);
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let mut chain = Vec::new();
    for (index, block) in fixture.blocks.iter().enumerate() {
        let bytes = block_bytes(&block.rlp).ok_or(format!("block {index}: rlp is not hex"))?;
        let mut blocks = chain.clone();
        blocks.push(bytes.clone());
        if block.expect_exception.is_some() {
            let wire = input(chain_id, fork, &witness, &genesis_rlp, blocks);
            write_json(&out.join(format!("invalid-{index}.json")), &wire)?;
        } else {
            chain = blocks;
        }
    }
    let wire = input(chain_id, fork, &witness, &genesis_rlp, chain);
    write_json(&out.join("valid.json"), &wire)?;
    println!("{name}: wrote {}", out.display());
    Ok(())
}

fn write_json<T: serde::Serialize>(path: &PathBuf, value: &T) -> Result<(), String> {
    let text = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What `strip` keeps.
struct Pick<'a> {
    max_test_bytes: usize,
    per_file: usize,
    networks: Vec<&'a str>,
    matching: Option<&'a str>,
}

fn strip(args: &SourceArgs, out: &PathBuf, pick: Pick<'_>) -> Result<(), String> {
    let source = source_of(args)?;
    let files = files_of(&source, args)?;
    let Pick {
        max_test_bytes,
        per_file,
        networks,
        matching,
    } = pick;
    let mut reader = source.reader()?;
    let (mut kept, mut bytes) = (0, 0);
    let bundle_path = out.to_string_lossy().ends_with(".json.gz").then_some(out);
    let mut bundle = match bundle_path.filter(|p| p.exists()) {
        Some(p) => {
            let raw = std::fs::read(p).map_err(|e| e.to_string())?;
            let text = gunzip(&raw).map_err(|e| e.to_string())?;
            serde_json::from_slice::<FixtureFile>(&text).map_err(|e| e.to_string())?
        }
        None => FixtureFile::new(),
    };
    for name in &files {
        let Ok(raw) = reader.read(name) else { continue };
        let Ok(tests) = serde_json::from_slice::<FixtureFile>(&raw) else {
            continue;
        };
        let mut picked = FixtureFile::new();
        let mut per_network: std::collections::BTreeMap<String, usize> = Default::default();
        for (test, mut fixture) in tests {
            if matching.is_some_and(|m| !test.contains(m)) {
                continue;
            }
            // The runner compares roots: the post-state's root stands for it, at a tenth of
            // the bytes (the deposit contract alone is 15 kB in every Prague state).
            if let Some(post) = fixture.post_state.take() {
                fixture.post_state_hash = Some(state_root(&post));
            }
            let n = per_network.entry(fixture.network.clone()).or_default();
            if !networks.contains(&fixture.network.as_str()) || *n >= per_file {
                continue;
            }
            let size = serde_json::to_vec(&fixture)
                .map_err(|e| e.to_string())?
                .len();
            if size <= max_test_bytes {
                *n += 1;
                picked.insert(test, fixture);
            }
        }
        if picked.is_empty() {
            continue;
        }
        if bundle_path.is_some() {
            kept += picked.len();
            bundle.extend(picked);
            continue;
        }
        let path = out.join(name.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().expect("file in a folder"))
            .map_err(|e| e.to_string())?;
        let text = serde_json::to_vec(&picked).map_err(|e| e.to_string())?;
        kept += picked.len();
        bytes += text.len();
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    if let Some(path) = bundle_path {
        let text = serde_json::to_vec(&bundle).map_err(|e| e.to_string())?;
        let packed = gzip(&text).map_err(|e| e.to_string())?;
        bytes = packed.len();
        std::fs::write(path, packed).map_err(|e| e.to_string())?;
        println!(
            "kept {kept} tests; {} now holds {}",
            path.display(),
            bundle.len()
        );
    }
    println!("kept {kept} tests, {bytes} bytes");
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Cmd::Run {
            source,
            examples,
            jobs,
            strict,
        } => run(source, *examples, *jobs, *strict),
        Cmd::Convert { file, test, out } => convert(file, test, out).map(|_| true),
        Cmd::Strip {
            source,
            out,
            matching,
            max_test_bytes,
            per_file,
            networks,
        } => {
            let pick = Pick {
                max_test_bytes: *max_test_bytes,
                per_file: *per_file,
                networks: networks.split(',').collect(),
                matching: matching.as_deref(),
            };
            strip(source, out, pick).map(|_| true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("eest: {e}");
            ExitCode::from(2)
        }
    }
}
