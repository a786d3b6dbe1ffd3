//! `zkvm-guest-wrap <user-elf> <out-dir>`: what risc0-build does after compiling a guest, without
//! rzup or r0vm. Writes `<out-dir>/guest.bin` (risc0's ProgramBinary: user ELF + v1compat
//! kernel, the form the executor and prover load) and `<out-dir>/image-id.txt` (0x + 32 bytes).

use std::{path::PathBuf, process::ExitCode};

use risc0_binfmt::ProgramBinary;
use risc0_zkos_v1compat::V1COMPAT_ELF;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [elf, out] = args.as_slice() else {
        eprintln!("usage: zkvm-guest-wrap <user-elf> <out-dir>");
        return ExitCode::from(2);
    };
    match wrap(elf.into(), out.into()) {
        Ok(id) => {
            println!("{id}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zkvm-guest-wrap: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the program binary and image id; returns the image id as 0x-prefixed hex.
fn wrap(elf: PathBuf, out: PathBuf) -> Result<String, String> {
    let user_elf =
        std::fs::read(&elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    let program = ProgramBinary::new(&user_elf, V1COMPAT_ELF);
    let image_id = program
        .compute_image_id()
        .map_err(|e| format!("{}: not a loadable guest ELF: {e}", elf.display()))?;
    // Digest's Display is the hex of its bytes: the bytes32 the L1 verifier takes as imageId.
    let id = format!("0x{image_id}");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, bytes) in [
        ("guest.bin", program.encode()),
        ("image-id.txt", format!("{id}\n").into_bytes()),
    ] {
        let path = out.join(name);
        // Write then rename, so a host never loads a half-written guest.
        let tmp = out.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, &bytes)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(id)
}
