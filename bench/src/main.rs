//! `kith-bench`: every performance figure Kith is held to, measured in one run on generated
//! networks of the sizes in the product's targets, printed as one Markdown table.
//!
//! The busy network (5,000 contacts, 250,000 interactions over ten years, 50 events) is always
//! measured; with `--stress` the same figures are measured again on the stress network (ten
//! times larger) and the table says how each cost grows. Stores are real files in a temporary
//! folder, as on a user's machine. Run it with `bash scripts/bench.sh [--stress]`.

mod beside_import;
mod catch_up;
mod figures;
mod floor;
mod hostile;
mod timing;

use kith_core::synth::Size;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: kith-bench [--stress] [--hostile [--hostile-mb N]] [--dir PATH]
  --stress    also measure the stress network (50,000 contacts, 2,500,000 interactions)
  --hostile   instead, the peak memory of importing hostile files of N MB each (default
              1024, the per-entry limit; needs N MB of disk per file, one at a time)
  --dir PATH  where to put the temporary stores and archives (default: the system temp folder)";

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, format, path, store] = all.as_slice() {
        if flag == hostile::CHILD {
            return hostile::child(format, path, store);
        }
    }
    let mut stress = false;
    let mut hostile_mb: Option<u64> = None;
    let mut dir: Option<PathBuf> = None;
    let mut args = all.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stress" => stress = true,
            "--hostile" => hostile_mb = hostile_mb.or(Some(1024)),
            "--hostile-mb" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => hostile_mb = Some(n),
                None => return usage("--hostile-mb needs a number of megabytes"),
            },
            "--dir" => match args.next() {
                Some(d) => dir = Some(PathBuf::from(d)),
                None => return usage("--dir needs a folder"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument {other:?}")),
        }
    }
    let sizes: &[Size] = if stress {
        &[Size::Busy, Size::Stress]
    } else {
        &[Size::Busy]
    };
    let work = match dir {
        Some(d) => std::fs::create_dir_all(&d).and_then(|_| tempfile::tempdir_in(&d)),
        None => tempfile::tempdir(),
    };
    let work = match work {
        Ok(w) => w,
        Err(e) => {
            eprintln!("kith-bench: cannot make a working folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(mb) = hostile_mb {
        return match hostile::measure(work.path(), mb) {
            Ok(table) => {
                print!("{table}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kith-bench: measuring the hostile files failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut runs = Vec::new();
    for &size in sizes {
        match figures::measure(size, work.path()) {
            Ok(readings) => runs.push(readings),
            Err(e) => {
                eprintln!("kith-bench: measuring the {size} network failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{}", figures::table(&runs, &machine()));
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("kith-bench: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// "2 × AMD EPYC", from the processor count and /proc/cpuinfo's model name.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    format!("{cpus} × {model}")
}
