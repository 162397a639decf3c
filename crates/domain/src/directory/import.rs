//! Importing schools from the register of English schools: rows as the register
//! writes them are checked, missing trusts are made, and everything is stored in one
//! transaction, or nothing is. Reading the file is the caller's business.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};

use super::school::{self, SchoolDetails};
use super::trust::{self, NewTrust};
use super::{InspectionGrade, Phase, Region, TrustKind};
use crate::Error;

/// The most rows one import takes.
pub const MAX_ROWS: usize = 100_000;
/// The most bad rows reported at once.
const MAX_REPORTED: usize = 20;

/// One row of the register, its values as written there.
#[derive(Debug, Clone, Default)]
pub struct RegisterRow {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub urn: String,
    pub name: String,
    pub phase: String,
    pub school_type: String,
    pub local_authority: String,
    pub region: String,
    pub trust: String,
    pub website: String,
    pub inspection_grade: String,
    pub inspection_date: String,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Some rows are wrong (at most twenty are listed).
    #[error("{} bad row(s)", .0.len())]
    BadRows(Vec<BadRow>),
    /// Storing failed.
    #[error(transparent)]
    Domain(#[from] Error),
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub schools_created: usize,
    pub schools_updated: usize,
    pub trusts_created: usize,
}

/// How far an import is: `done` of `total` steps of `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// A checked row.
struct Planned {
    line: u64,
    details: SchoolDetails,
    trust: Option<String>,
}

/// The phase of a row: the register's phase, or for "Not applicable", what the
/// type of establishment says.
fn phase(phase: &str, school_type: &str) -> std::result::Result<Phase, String> {
    let lower = phase.trim().to_ascii_lowercase();
    let kind = school_type.to_ascii_lowercase();
    let found = match lower.as_str() {
        "nursery" => Some(Phase::Nursery),
        "primary" | "middle deemed primary" if lower == "primary" => Some(Phase::Primary),
        "middle deemed primary" | "middle deemed secondary" => Some(Phase::Middle),
        "secondary" => Some(Phase::Secondary),
        "all-through" | "all through" => Some(Phase::AllThrough),
        "16 plus" | "post-16" | "post 16" => Some(Phase::Post16),
        "" | "not applicable" => {
            if kind.contains("special") {
                Some(Phase::Special)
            } else if kind.contains("pupil referral") || kind.contains("alternative provision") {
                Some(Phase::AlternativeProvision)
            } else if kind.contains("sixth form") || kind.contains("16") {
                Some(Phase::Post16)
            } else {
                None
            }
        }
        _ => Phase::parse(phase).ok(),
    };
    found.ok_or_else(|| {
        format!("the phase '{phase}' (type '{school_type}') is not a phase of education")
    })
}

fn grade(grade: &str) -> std::result::Result<InspectionGrade, String> {
    match grade.trim().to_ascii_lowercase().as_str() {
        "" | "null" | "not yet inspected" | "not inspected" => Ok(InspectionGrade::NotYetInspected),
        "serious weaknesses" | "special measures" => Ok(InspectionGrade::Inadequate),
        _ => InspectionGrade::parse(grade)
            .map_err(|_| format!("the inspection rating '{grade}' is not one we know")),
    }
}

fn date(value: &str) -> std::result::Result<Option<NaiveDate>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
        .map(Some)
        .ok_or_else(|| format!("the inspection date '{value}' is not a date (use DD-MM-YYYY)"))
}

fn region(value: &str) -> std::result::Result<Option<Region>, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "not applicable" => Ok(None),
        "east of england" | "east of england " => Ok(Some(Region::EastOfEngland)),
        _ => Region::parse(value)
            .map(Some)
            .map_err(|_| format!("the region '{value}' is not a region of England")),
    }
}

fn plan_row(row: &RegisterRow) -> std::result::Result<Planned, String> {
    let urn = school::check_urn(&row.urn)
        .map_err(|_| format!("the URN '{}' is not six digits", row.urn))?;
    if row.name.trim().is_empty() {
        return Err("the establishment name is empty".to_owned());
    }
    let trust = row.trust.trim();
    Ok(Planned {
        line: row.line,
        trust: (!trust.is_empty()).then(|| trust.to_owned()),
        details: SchoolDetails {
            urn,
            name: row.name.clone(),
            phase: phase(&row.phase, &row.school_type)?,
            school_type: row.school_type.clone(),
            region: region(&row.region)?,
            local_authority: row.local_authority.clone(),
            inspection_grade: grade(&row.inspection_grade)?,
            inspection_date: date(&row.inspection_date)?,
            trust_id: None,
            website: website(&row.website),
        },
    })
}

/// The register writes websites without a scheme ("www.school.sch.uk").
fn website(value: &str) -> String {
    let value = value.trim();
    if value.is_empty() || value.starts_with("http://") || value.starts_with("https://") {
        value.to_owned()
    } else {
        format!("https://{value}")
    }
}

/// Checks every row; the bad ones (at most twenty) when any is.
fn plan(rows: &[RegisterRow]) -> std::result::Result<Vec<Planned>, Vec<BadRow>> {
    let mut planned = Vec::new();
    let mut bad = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    if rows.len() > MAX_ROWS {
        return Err(vec![BadRow {
            line: rows[MAX_ROWS].line,
            reason: format!("an import takes at most {MAX_ROWS} rows"),
        }]);
    }
    for row in rows {
        match plan_row(row) {
            Ok(p) => match seen.insert(p.details.urn.clone(), p.line) {
                Some(first) => bad.push(BadRow {
                    line: row.line,
                    reason: format!("URN {} is on line {first} already", p.details.urn),
                }),
                None => planned.push(p),
            },
            Err(reason) => bad.push(BadRow {
                line: row.line,
                reason,
            }),
        }
        if bad.len() >= MAX_REPORTED {
            break;
        }
    }
    if bad.is_empty() {
        Ok(planned)
    } else {
        Err(bad)
    }
}

/// Imports `rows`: every school is created (or, when its URN is here already,
/// updated), and every trust named that this instance lacks is created as a
/// multi-academy trust. Nothing is stored unless every row is good.
pub async fn import(
    db: &(impl ConnectionTrait + TransactionTrait),
    rows: &[RegisterRow],
    progress: &mut dyn FnMut(Progress),
) -> std::result::Result<ImportReport, ImportError> {
    let planned = plan(rows).map_err(ImportError::BadRows)?;
    // Accounts get their key pairs when they are first needed, not here: an
    // import of the whole register would otherwise wait hours on key generation.
    let now = Utc::now();
    let mut report = ImportReport::default();
    let mut trust_ids: HashMap<String, i64> = HashMap::new();
    let txn = crate::database::begin_write(db)
        .await
        .map_err(Error::from)?;
    let total = planned.len();
    for (done, p) in planned.into_iter().enumerate() {
        progress(Progress {
            stage: "schools",
            done,
            total,
        });
        let at_line = |e: Error| match e {
            Error::Invalid { field, reason } => ImportError::BadRows(vec![BadRow {
                line: p.line,
                reason: format!("{field} {reason}"),
            }]),
            Error::Conflict(reason) => ImportError::BadRows(vec![BadRow {
                line: p.line,
                reason,
            }]),
            other => ImportError::Domain(other),
        };
        let mut details = p.details.clone();
        if let Some(name) = &p.trust {
            let key = name.to_lowercase();
            let id = match trust_ids.get(&key) {
                Some(id) => *id,
                None => {
                    let id = match trust::find_local_by_name(&txn, name).await? {
                        Some(found) => found.id(),
                        None => {
                            let new = NewTrust {
                                name: name.clone(),
                                slug: None,
                                kind: TrustKind::MultiAcademyTrust,
                                website: String::new(),
                                region: details.region,
                                description: String::new(),
                            };
                            report.trusts_created += 1;
                            trust::insert(&txn, new, now).await.map_err(at_line)?.id()
                        }
                    };
                    trust_ids.insert(key, id);
                    id
                }
            };
            details.trust_id = Some(id);
        }
        match school::find_local_by_urn(&txn, &details.urn).await? {
            Some(existing) => {
                school::overwrite(&txn, existing, details, now)
                    .await
                    .map_err(at_line)?;
                report.schools_updated += 1;
            }
            None => {
                school::insert(&txn, details, now).await.map_err(at_line)?;
                report.schools_created += 1;
            }
        }
    }
    txn.commit().await.map_err(Error::from)?;
    progress(Progress {
        stage: "schools",
        done: total,
        total,
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_phases_and_types_become_phases() {
        assert_eq!(phase("Primary", "Academy converter"), Ok(Phase::Primary));
        assert_eq!(phase("Middle deemed secondary", ""), Ok(Phase::Middle));
        assert_eq!(phase("16 plus", "Further education"), Ok(Phase::Post16));
        assert_eq!(
            phase("Not applicable", "Community special school"),
            Ok(Phase::Special)
        );
        assert_eq!(
            phase("Not applicable", "Pupil referral unit"),
            Ok(Phase::AlternativeProvision)
        );
        assert!(phase("Not applicable", "Children's centre").is_err());
    }

    #[test]
    fn ratings_dates_and_regions_are_read_as_the_register_writes_them() {
        assert_eq!(grade(""), Ok(InspectionGrade::NotYetInspected));
        assert_eq!(
            grade("Requires improvement"),
            Ok(InspectionGrade::RequiresImprovement)
        );
        assert_eq!(grade("Special Measures"), Ok(InspectionGrade::Inadequate));
        assert!(grade("Brilliant").is_err());
        assert_eq!(date("07-03-2023"), Ok(NaiveDate::from_ymd_opt(2023, 3, 7)));
        assert!(date("2023/13/45").is_err());
        assert_eq!(region("Not Applicable"), Ok(None));
        assert_eq!(region("South West"), Ok(Some(Region::SouthWest)));
        assert!(region("Narnia").is_err());
    }

    #[test]
    fn a_urn_twice_is_reported_with_both_lines() {
        let row = |line, urn: &str| RegisterRow {
            line,
            urn: urn.into(),
            name: "Example School".into(),
            phase: "Primary".into(),
            ..Default::default()
        };
        let Err(bad) = plan(&[row(2, "100001"), row(3, "10001"), row(4, "100001")]) else {
            panic!("the rows are refused");
        };
        assert_eq!(bad[0].line, 3);
        assert!(bad[0].reason.contains("six digits"));
        assert_eq!(
            bad[1],
            BadRow {
                line: 4,
                reason: "URN 100001 is on line 2 already".into()
            }
        );
    }
}
