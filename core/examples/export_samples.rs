//! Writes every export of a Kith archive file into a folder, without a store, to look at the
//! files or check them with other tools:
//!
//! ```text
//! cargo run -p kith-core --example export_samples -- tests/python/sample-network.json /tmp/out
//! ```
//!
//! `/tmp/out/sharing` gets what a sharing export holds, `/tmp/out/private` what an export with
//! private notes and interactions holds.

use chrono::Utc;
use kith_core::archive::Archive;
use kith_core::export::{render, ExportFormat, ExportInput, ExportOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [archive, out] = args.as_slice() else {
        eprintln!("usage: export_samples ARCHIVE.json OUT_DIR");
        return ExitCode::FAILURE;
    };
    match run(Path::new(archive), Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_samples: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(archive: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let records = Archive::read(archive)?.into_records()?;
    let input = ExportInput {
        contacts: &records.contacts,
        interactions: &records.interactions,
        events: &records.events,
        todos: &[],
        now: Utc::now(),
    };
    for (folder, include_private) in [("sharing", false), ("private", true)] {
        for format in ExportFormat::ALL {
            let opts = ExportOptions {
                include_private,
                csv_bom: format == ExportFormat::Csv,
                markdown_combined: false,
                include_overdue: false,
            };
            let mut dir: PathBuf = out.join(folder);
            if format == ExportFormat::Markdown {
                dir.push("markdown");
            }
            std::fs::create_dir_all(&dir)?;
            let output = render(format, &input, &opts)?;
            for file in &output.files {
                std::fs::write(dir.join(&file.path), &file.bytes)?;
            }
            if let Some(note) = output.left_out.describe() {
                eprintln!("{folder} {}: {note}", format.as_str());
            }
        }
    }
    eprintln!("Wrote {}", out.display());
    Ok(())
}
