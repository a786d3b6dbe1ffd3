//! Where fixture files come from: a directory tree of JSON files or a git repository (the
//! published fixtures as a bare mirror, read without a work tree).

use std::{
    io::{BufRead, BufReader, Read, Write},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
};

/// A fixture file's bytes, or why it cannot be read.
pub type FileResult = Result<Vec<u8>, String>;

/// A set of fixture files.
pub enum Source {
    /// `*.json` under these paths (files or directories).
    Files(Vec<PathBuf>),
    /// Files under `prefix` in the tree of `rev` in the git directory `repo`.
    Git {
        /// The git directory (bare or not).
        repo: PathBuf,
        /// Revision to read.
        rev: String,
        /// Path prefixes inside the tree.
        prefixes: Vec<String>,
    },
}

impl Source {
    /// Lists the fixture files, sorted.
    pub fn list(&self) -> Result<Vec<String>, String> {
        match self {
            Self::Files(paths) => {
                let mut out = Vec::new();
                for p in paths {
                    walk(p, &mut out)?;
                }
                out.sort();
                Ok(out)
            }
            Self::Git {
                repo,
                rev,
                prefixes,
            } => {
                let mut cmd = Command::new("git");
                cmd.arg("-C")
                    .arg(repo)
                    .args(["ls-tree", "-r", "--name-only", rev, "--"]);
                cmd.args(prefixes);
                let out = cmd.output().map_err(|e| format!("git ls-tree: {e}"))?;
                if !out.status.success() {
                    return Err(format!(
                        "git ls-tree failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter(|l| l.ends_with(".json"))
                    .map(str::to_string)
                    .collect();
                names.sort();
                Ok(names)
            }
        }
    }

    /// A reader for the listed files.
    pub fn reader(&self) -> Result<Reader, String> {
        match self {
            Self::Files(_) => Ok(Reader::Files),
            Self::Git { repo, rev, .. } => {
                let mut child = Command::new("git")
                    .arg("-C")
                    .arg(repo)
                    .args(["cat-file", "--batch"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("git cat-file: {e}"))?;
                let stdin = child.stdin.take().expect("piped");
                let stdout = BufReader::new(child.stdout.take().expect("piped"));
                Ok(Reader::Git {
                    child,
                    stdin,
                    stdout,
                    rev: rev.clone(),
                })
            }
        }
    }
}

/// Reads fixture files one at a time (one `git cat-file --batch` for a repository).
pub enum Reader {
    /// Plain files.
    Files,
    /// A running `git cat-file --batch`.
    Git {
        /// The process (waited for on drop).
        child: Child,
        /// Its requests.
        stdin: ChildStdin,
        /// Its answers.
        stdout: BufReader<ChildStdout>,
        /// Revision the names are in.
        rev: String,
    },
}

impl Reader {
    /// The bytes of `name`; an absent blob or a Git LFS pointer is an error naming that.
    pub fn read(&mut self, name: &str) -> FileResult {
        let bytes = match self {
            Self::Files => {
                let raw = std::fs::read(name).map_err(|e| format!("{name}: {e}"))?;
                if name.ends_with(".gz") {
                    gunzip(&raw).map_err(|e| format!("{name}: {e}"))?
                } else {
                    raw
                }
            }
            Self::Git {
                stdin, stdout, rev, ..
            } => {
                writeln!(stdin, "{rev}:{name}").map_err(|e| e.to_string())?;
                stdin.flush().map_err(|e| e.to_string())?;
                let mut line = String::new();
                stdout.read_line(&mut line).map_err(|e| e.to_string())?;
                let fields: Vec<&str> = line.split_whitespace().collect();
                if fields.len() != 3 {
                    return Err(format!("absent from the repository ({})", line.trim()));
                }
                let size: usize = fields[2].parse().map_err(|_| line.clone())?;
                let mut buf = vec![0; size + 1];
                stdout.read_exact(&mut buf).map_err(|e| e.to_string())?;
                buf.truncate(size);
                buf
            }
        };
        if bytes.starts_with(b"version https://git-lfs") {
            return Err("a Git LFS pointer (content not stored)".into());
        }
        Ok(bytes)
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let Self::Git { child, .. } = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn walk(path: &Path, out: &mut Vec<String>) -> Result<(), String> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for entry in entries {
            walk(&entry.map_err(|e| e.to_string())?.path(), out)?;
        }
    } else if path.to_string_lossy().ends_with(".json")
        || path.to_string_lossy().ends_with(".json.gz")
    {
        out.push(path.to_string_lossy().into_owned());
    }
    Ok(())
}

/// The bytes of a gzip stream.
pub fn gunzip(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw).read_to_end(&mut out)?;
    Ok(out)
}

/// A gzip stream of `bytes`.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}
