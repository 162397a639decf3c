//! `staffroom admin import-schools FILE.csv`: reads the register of English schools
//! (its CSV layout, with columns such as `URN`, `EstablishmentName`,
//! `PhaseOfEducation (name)`, `LA (name)`, `Trusts (name)`) and hands the rows to the
//! domain's import, which stores all of them or none. Progress goes to standard
//! error; bad rows are listed there with their line numbers.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use staffroom_domain::Database;
use staffroom_domain::directory::import::{self, ImportError, Progress, RegisterRow};

use crate::failure::Failure;

/// The largest file read.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The columns read, by their names in the register; the first three are required.
const URN: &str = "URN";
const NAME: &str = "EstablishmentName";
const PHASE: &str = "PhaseOfEducation (name)";
const TYPE: &str = "TypeOfEstablishment (name)";
const LA: &str = "LA (name)";
const REGION: &str = "GOR (name)";
const TRUST: &str = "Trusts (name)";
const WEBSITE: &str = "SchoolWebsite";
const RATING: &str = "OfstedRating (name)";
const INSPECTED: &str = "OfstedLastInsp";

/// The characters Windows-1252 puts at 0x80 to 0x9F (undefined ones as U+FFFD).
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
    '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{fffd}',
    'ž', 'Ÿ',
];

/// The file's text: UTF-8 when it is that, otherwise Windows-1252, the encoding
/// the register is published in.
fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e
            .into_bytes()
            .into_iter()
            .map(|b| match b {
                0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// Reads `path` into register rows; a row that cannot be read is reported with its
/// line.
fn read(path: &Path) -> Result<Vec<RegisterRow>, Failure> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| Failure::failed(format!("cannot read {shown}: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Failure::failed(format!(
            "{shown} is larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failure::failed(format!("cannot read {shown}: {e}")))?;
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Failure::failed(format!("{shown}: cannot read the header: {e}")))?
        .clone();
    let columns: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for required in [URN, NAME, PHASE] {
        if !columns.contains_key(required) {
            return Err(Failure::failed(format!(
                "{shown}: the header has no '{required}' column"
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or_default();
            Failure::failed(format!("{shown}:{line}: {e}"))
        })?;
        let field = |name: &str| {
            columns
                .get(name)
                .and_then(|i| record.get(*i))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        rows.push(RegisterRow {
            line: record.position().map(|p| p.line()).unwrap_or_default(),
            urn: field(URN),
            name: field(NAME),
            phase: field(PHASE),
            school_type: field(TYPE),
            local_authority: field(LA),
            region: field(REGION),
            trust: field(TRUST),
            website: field(WEBSITE),
            inspection_grade: field(RATING),
            inspection_date: field(INSPECTED),
        });
    }
    Ok(rows)
}

/// `admin import-schools FILE`
pub async fn import_schools(
    db: &Database,
    path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let rows = read(path)?;
    let shown = path.display().to_string();
    let mut progress = |p: Progress| {
        // One line per stage, rewritten in place every hundred rows and at the end.
        if p.done.is_multiple_of(100) || p.done == p.total {
            let _ = write!(err, "\r{}: {}/{}", p.stage, p.done, p.total);
            if p.done == p.total {
                let _ = writeln!(err);
            }
            let _ = err.flush();
        }
    };
    match import::import(db, &rows, &mut progress).await {
        Ok(report) => {
            let _ = writeln!(
                out,
                "Imported {} school(s) from {shown}: {} new, {} updated; {} new trust(s).",
                report.schools_created + report.schools_updated,
                report.schools_created,
                report.schools_updated,
                report.trusts_created
            );
            Ok(())
        }
        Err(ImportError::BadRows(bad)) => {
            let _ = writeln!(err);
            for row in &bad {
                let _ = writeln!(err, "{shown}:{}: {}", row.line, row.reason);
            }
            Err(Failure::failed(format!(
                "{shown} has bad rows (the first on line {}); nothing was imported",
                bad.first().map(|b| b.line).unwrap_or_default()
            )))
        }
        Err(ImportError::Domain(e)) => Err(Failure::failed(format!(
            "the import failed and nothing was stored: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_files_are_read_as_such_and_utf8_files_as_they_are() {
        assert_eq!(decode(b"Saint Ren\xe9\x92s".to_vec()), "Saint René’s");
        assert_eq!(decode("Saint René’s".as_bytes().to_vec()), "Saint René’s");
    }
}
