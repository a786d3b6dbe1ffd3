//! Counts over many tests: per network, per failure class, per skip reason, and which typed
//! error refused each expected exception.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::run::{TestOutcome, Verdict};

/// Pass, fail and skip counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tests that passed.
    pub pass: usize,
    /// Tests that failed.
    pub fail: usize,
    /// Tests not run.
    pub skip: usize,
}

/// The aggregate of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Counts by lowercase network name.
    pub by_network: BTreeMap<String, Counts>,
    /// Failing tests by failure class: (test, detail).
    pub failures: BTreeMap<String, Vec<(String, String)>>,
    /// Skipped tests by reason.
    pub skips: BTreeMap<String, usize>,
    /// Expected exception → our error code → (count, first test).
    pub rejections: BTreeMap<String, BTreeMap<String, (usize, String)>>,
    /// Files that could not be read or parsed: (file, why).
    pub bad_files: Vec<(String, String)>,
}

impl Report {
    /// Adds one test's outcome under `name`.
    pub fn add(&mut self, name: &str, outcome: TestOutcome) {
        let counts = self.by_network.entry(outcome.network).or_default();
        match outcome.verdict {
            Verdict::Pass => counts.pass += 1,
            Verdict::Fail { class, detail } => {
                counts.fail += 1;
                (self.failures.entry(class).or_default()).push((name.to_string(), detail));
            }
            Verdict::Skip(reason) => {
                counts.skip += 1;
                // Group skip reasons by their kind, not by every network name they mention.
                *self.skips.entry(reason).or_default() += 1;
            }
        }
        for (exception, code) in outcome.rejections {
            for class in exception.split('|') {
                let entry = (self.rejections.entry(class.trim().to_string()).or_default())
                    .entry(code.clone())
                    .or_insert_with(|| (0, name.to_string()));
                entry.0 += 1;
            }
        }
    }

    /// Totals over all networks.
    pub fn total(&self) -> Counts {
        self.by_network
            .values()
            .fold(Counts::default(), |a, c| Counts {
                pass: a.pass + c.pass,
                fail: a.fail + c.fail,
                skip: a.skip + c.skip,
            })
    }

    /// The human-readable summary; `examples` failing tests are named per class.
    pub fn render(&self, examples: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<30} {:>7} {:>7} {:>7}",
            "network", "pass", "fail", "skip"
        );
        for (network, c) in &self.by_network {
            let _ = writeln!(s, "{network:<30} {:>7} {:>7} {:>7}", c.pass, c.fail, c.skip);
        }
        let t = self.total();
        let _ = writeln!(
            s,
            "{:<30} {:>7} {:>7} {:>7}",
            "total", t.pass, t.fail, t.skip
        );
        if !self.failures.is_empty() {
            let _ = writeln!(s, "\nfailures by class:");
            for (class, tests) in &self.failures {
                let _ = writeln!(s, "  {class}: {}", tests.len());
                for (name, detail) in tests.iter().take(examples) {
                    let _ = writeln!(s, "    {name}\n      {detail}");
                }
            }
        }
        if !self.skips.is_empty() {
            let _ = writeln!(s, "\nskipped by reason:");
            for (reason, n) in &self.skips {
                let _ = writeln!(s, "  {n:>6}  {reason}");
            }
        }
        if !self.rejections.is_empty() {
            let _ = writeln!(
                s,
                "\ninvalid blocks: expected exception -> typed error (count)"
            );
            for (exception, codes) in &self.rejections {
                let counts: Vec<String> =
                    codes.iter().map(|(c, (n, _))| format!("{c} {n}")).collect();
                let _ = writeln!(s, "  {exception} -> {}", counts.join(", "));
                if examples > 0 && codes.len() > 1 {
                    for (code, (_, test)) in codes {
                        let _ = writeln!(s, "      {code}: e.g. {test}");
                    }
                }
            }
        }
        if !self.bad_files.is_empty() {
            let _ = writeln!(s, "\nfiles not read: {}", self.bad_files.len());
            let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, why) in &self.bad_files {
                *reasons
                    .entry(why.split(':').next().unwrap_or(why))
                    .or_default() += 1;
            }
            for (why, n) in reasons {
                let _ = writeln!(s, "  {n:>6}  {why}");
            }
        }
        s
    }
}
