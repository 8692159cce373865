//! Writes a synthetic monolith with planted domains.
//!
//! `cargo run --release --example synth -- OUT [--domains N] [--modules M] [--cross R] [--ts] [--seed S]`

#[path = "../tests/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: synth OUT [--domains N] [--modules M] [--cross R] [--ts] [--seed S]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("synth: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut options = synth::SynthOptions::default();
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--domains" => options.domains = parse(&value("--domains")?)?,
            "--modules" => options.modules_per_domain = parse(&value("--modules")?)?,
            "--cross" => options.cross_rate = parse(&value("--cross")?)?,
            "--seed" => options.seed = parse(&value("--seed")?)?,
            "--ts" => options.typescript = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let out = out.ok_or("missing OUT")?;
    if !(0.0..=1.0).contains(&options.cross_rate) {
        return Err(format!("--cross must be in 0..=1, got {}", options.cross_rate));
    }
    let planted = synth::generate(&out, &options).map_err(|e| format!("{}: {e}", out.display()))?;
    let (files, bytes) = walk(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let domains: std::collections::BTreeSet<&String> = planted.values().collect();
    println!(
        "{}: {files} files, {bytes} bytes; {} planted modules in {} labels",
        out.display(),
        planted.len(),
        domains.len()
    );
    Ok(())
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("invalid value {text}"))
}

/// Files and bytes under `dir`.
fn walk(dir: &Path) -> std::io::Result<(u64, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let (f, b) = walk(&entry.path())?;
            files += f;
            bytes += b;
        } else if kind.is_file() {
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}
