//! `zkvm-host`: the command line of docs/zkvm-host.md.

mod backend;
mod claim;
mod failure;
#[cfg(feature = "risc0")]
mod local_prover;
mod parent;
mod progress;
mod result;
#[cfg(feature = "risc0")]
mod risc0;
mod run;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};

use crate::failure::FailureKind;

#[derive(Parser)]
#[command(
    name = "zkvm-host",
    version,
    about = "Execute or prove an L2 block from a prover input"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Execute (and, with the risc0 backend, prove) one block.
    Run {
        /// Prover input JSON (DESIGN §1).
        #[arg(long)]
        input: PathBuf,
        /// Where to write the result JSON (atomically, also on failure).
        #[arg(long)]
        output: PathBuf,
        /// Where the block runs: natively, or in the RISC Zero zkVM.
        #[arg(long, value_enum, default_value_t = BackendName::Exec)]
        backend: BackendName,
        /// Receipt kind for real risc0 proofs.
        #[arg(long, value_enum, default_value_t = ReceiptKind::Composite)]
        receipt: ReceiptKind,
        /// Image id (0x + 32 bytes) the exec backend's mock seal names (default zero); with
        /// risc0, the id the loaded guest must have.
        #[arg(long, value_parser = parse_image_id)]
        image_id: Option<[u8; 32]>,
    },
    /// Check a risc0 receipt in a result file against the image id and journal.
    Verify {
        /// Result JSON written by `run`.
        #[arg(long)]
        result: PathBuf,
    },
    /// Print the guest image id.
    ImageId {
        /// The dev guest's (quirks allowed), which runs inputs with quirks.
        #[arg(long)]
        dev: bool,
    },
    /// Print this build as JSON: version, cargo features, the guests it loads and their image ids.
    Info,
}

/// Backends selectable on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum BackendName {
    /// Native execution of the executor library.
    Exec,
    /// The RISC Zero zkVM (needs the `risc0` cargo feature).
    Risc0,
}

/// Receipt kinds of a real risc0 proof.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReceiptKind {
    /// One receipt per segment.
    Composite,
    /// Aggregated into one STARK.
    Succinct,
    /// Wrapped into a Groth16 SNARK for L1.
    Groth16,
}

/// `0x` + 64 hex digits.
fn parse_image_id(s: &str) -> Result<[u8; 32], String> {
    let digits = s.strip_prefix("0x").unwrap_or(s);
    if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("expected 0x followed by 64 hex digits (32 bytes)".into());
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

fn main() -> ExitCode {
    parent::die_with_parent();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help/--version print and succeed; usage errors are bad input (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = match cli.command {
        Command::Run {
            input,
            output,
            backend,
            receipt,
            image_id,
        } => run::run(
            &input,
            &output,
            run::RunOptions {
                backend,
                receipt,
                image_id,
            },
        ),
        Command::Verify { result } => backend::verify(&result),
        Command::ImageId { dev } => backend::image_id(dev).map(|id| println!("{id}")),
        Command::Info => {
            println!("{}", backend::info());
            Ok(())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            progress::error(&failure);
            ExitCode::from(failure.kind.exit_code())
        }
    }
}

impl FailureKind {
    /// Exit code of docs/zkvm-host.md.
    fn exit_code(self) -> u8 {
        match self {
            FailureKind::BadInput => 2,
            FailureKind::InvalidBlock => 3,
            FailureKind::BackendUnavailable => 4,
            FailureKind::Internal => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_parses_documented_flags() {
        let cli = Cli::try_parse_from([
            "zkvm-host",
            "run",
            "--input",
            "i.json",
            "--output",
            "o.json",
            "--backend",
            "risc0",
            "--receipt",
            "groth16",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Run {
                backend: BackendName::Risc0,
                receipt: ReceiptKind::Groth16,
                ..
            }
        ));
        assert!(Cli::try_parse_from(["zkvm-host", "run", "--input", "i.json"]).is_err());
        let id = format!("0x{}", "ab".repeat(32));
        let cli = Cli::try_parse_from([
            "zkvm-host",
            "run",
            "--input",
            "i",
            "--output",
            "o",
            "--image-id",
            &id,
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Run { image_id: Some(x), .. } if x == [0xab; 32]
        ));
        for bad in ["0x12", "zz", &format!("0x{}", "g".repeat(64))] {
            assert!(
                Cli::try_parse_from([
                    "zkvm-host",
                    "run",
                    "--input",
                    "i",
                    "--output",
                    "o",
                    "--image-id",
                    bad,
                ])
                .is_err(),
                "{bad}"
            );
        }
    }
}
