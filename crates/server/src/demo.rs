//! `serve --demo`: demo accounts and posts, a trust with two schools and the
//! leaders in them, so that a newcomer has something to look at straight away.
//! Seeding twice adds nothing twice; each run prints fresh passwords.

use staffroom_domain::posts::write;
use std::io::Write;

use chrono::{Datelike, Utc};
use staffroom_domain::access::user::{self, NewUser, Role};
use staffroom_domain::accounts::account::Account;
use staffroom_domain::accounts::keys::KeyPair;
use staffroom_domain::communities::challenge::{self, NewChallenge};
use staffroom_domain::directory::leader::{self, LeaderDetails};
use staffroom_domain::directory::school::{self, SchoolDetails};
use staffroom_domain::directory::trust::{self, NewTrust};
use staffroom_domain::directory::{Editor, InspectionGrade, LeaderRole, Phase, Region, TrustKind};
use staffroom_domain::posts::{post::Visibility, write::NewPost};
use staffroom_domain::{Database, Result, access::credentials, accounts::account};
use staffroom_federation::LocalUrls;

/// One demo account and what it posts.
struct DemoUser {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    posts: &'static [(Visibility, &'static str)],
}

const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        username: "amara",
        display_name: "Amara Okafor",
        role: Role::Admin,
        posts: &[
            (
                Visibility::Public,
                "Welcome to our Staffroom! This month's challenge: raising the aspirations of disadvantaged pupils. Share what works in your school with #ambitionfeed.",
            ),
            (
                Visibility::Public,
                "Our Year 6 careers week brought in parents from twelve different trades. The questions the children asked were better than mine. #ambitionfeed",
            ),
        ],
    },
    DemoUser {
        username: "ben",
        display_name: "Ben Hughes",
        role: Role::Moderator,
        posts: &[(
            Visibility::Public,
            "Trialling a reading-for-pleasure hour for Key Stage 3 this term. Has anyone measured the effect on attendance?",
        )],
    },
    DemoUser {
        username: "chloe",
        display_name: "Chloe Martin",
        role: Role::User,
        posts: &[
            (
                Visibility::Public,
                "First governors' meeting of the year done. Keeping the agenda to one page made all the difference.",
            ),
            (
                Visibility::Private,
                "For my followers only: our inspection call came this morning. Any advice on the first meeting welcome.",
            ),
        ],
    },
];

/// Creates the demo accounts (or gives the existing ones new passwords) and their
/// posts, and prints how to sign in.
pub async fn seed(db: &Database, urls: &LocalUrls, out: &mut dyn Write) -> Result<()> {
    let _ = writeln!(
        out,
        "Demo accounts (new passwords on every start with --demo):"
    );
    let mut people = Vec::new();
    for demo in DEMO_USERS {
        let password = credentials::generate_password();
        let existing = account::find_local(db, demo.username).await?;
        let account = match existing {
            Some(account) => {
                user::set_password(db, demo.username, password.clone()).await?;
                account
            }
            None => {
                let keys = KeyPair::generate().await?;
                user::create(
                    db,
                    NewUser {
                        username: demo.username.to_owned(),
                        email: format!("{}@example.org", demo.username),
                        display_name: demo.display_name.to_owned(),
                        role: demo.role,
                        password: password.clone(),
                        approved: true,
                        confirmed: true,
                        invite_id: None,
                        sign_up_reason: None,
                        keys,
                    },
                )
                .await?
                .account
            }
        };
        if staffroom_domain::posts::details::author(db, account.id)
            .await?
            .posting
            .posts
            == 0
        {
            for (visibility, text) in demo.posts {
                write::create_local(
                    db,
                    &account,
                    NewPost {
                        text: (*text).to_owned(),
                        visibility: *visibility,
                        spoiler_text: String::new(),
                        sensitive: false,
                        language: Some("en".to_owned()),
                        in_reply_to_id: None,
                        mentioned: Vec::new(),
                        media_ids: Vec::new(),
                        poll: None,
                        event: None,
                        article: None,
                        local_only: false,
                    },
                    urls,
                )
                .await?;
            }
        }
        let _ = writeln!(
            out,
            "  {:<8} {:<10} email {:<20} password {password}",
            demo.username,
            demo.role.name(),
            format!("{}@example.org", demo.username),
        );
        people.push(account);
    }
    seed_directory(db, &people).await
}

/// The demo trust: its slug, and its schools (made up, with URNs no school has).
const DEMO_TRUST: &str = "greenhill-learning-trust";
const DEMO_SCHOOLS: [(&str, &str, Phase, InspectionGrade); 2] = [
    (
        "990001",
        "Greenhill Primary",
        Phase::Primary,
        InspectionGrade::Good,
    ),
    (
        "990002",
        "Greenhill Academy",
        Phase::Secondary,
        InspectionGrade::Outstanding,
    ),
];

/// The demo trust and its schools, with the demo people as their leaders: the
/// first runs the trust (and confirms the others), the second heads the primary,
/// the third governs the secondary.
async fn seed_directory(db: &Database, people: &[Account]) -> Result<()> {
    if trust::find_local(db, DEMO_TRUST).await?.is_some() {
        return Ok(());
    }
    let greenhill = trust::create(
        db,
        Editor::Operator,
        NewTrust {
            name: "Greenhill Learning Trust".to_owned(),
            slug: Some(DEMO_TRUST.to_owned()),
            kind: TrustKind::MultiAcademyTrust,
            website: String::new(),
            region: Some(Region::YorkshireAndTheHumber),
            description: "A made-up trust of two schools, for a first look at Staffroom."
                .to_owned(),
        },
    )
    .await?;
    let mut schools = Vec::new();
    for (urn, name, phase, grade) in DEMO_SCHOOLS {
        let details = SchoolDetails {
            urn: urn.to_owned(),
            name: name.to_owned(),
            phase,
            school_type: "Academy converter".to_owned(),
            region: Some(Region::YorkshireAndTheHumber),
            local_authority: "Sheffield".to_owned(),
            inspection_grade: grade,
            inspection_date: None,
            trust_id: Some(greenhill.id()),
            website: String::new(),
        };
        schools.push(school::create(db, Editor::Operator, details).await?);
    }
    let roles = [
        (LeaderRole::TrustCeo, None),
        (LeaderRole::Headteacher, schools.first()),
        (LeaderRole::Governor, schools.get(1)),
    ];
    for (person, (role, school)) in people.iter().zip(roles) {
        let details = LeaderDetails {
            role,
            school_id: school.map(|s| s.id()),
            trust_id: Some(greenhill.id()),
            interests: vec!["raising aspirations".to_owned()],
        };
        leader::set(db, Editor::Operator, person.id, details).await?;
    }
    if let Some(ceo) = people.first() {
        trust::add_admin(db, Editor::Operator, greenhill.id(), ceo.id).await?;
        for person in people {
            leader::confirm(db, Editor::Account(ceo.id), person.id, true).await?;
        }
    }
    seed_challenge(db, greenhill.id()).await
}

/// This month's challenge, run by the trust `trust_id`, unless one is running.
async fn seed_challenge(db: &Database, trust_id: i64) -> Result<()> {
    let now = Utc::now();
    if !challenge::current(db, now).await?.is_empty() {
        return Ok(());
    }
    let today = now.date_naive();
    let first = today.with_day(1).unwrap_or(today);
    let next_month = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(today);
    challenge::create(
        db,
        Editor::Operator,
        NewChallenge {
            title: "Raising the aspirations of disadvantaged pupils".to_owned(),
            description: "What does your school do so that every pupil can picture a future worth working for? Share **one thing that works** (and one that did not) under the hashtag.".to_owned(),
            hashtag: "ambitionfeed".to_owned(),
            starts_at: first.and_time(chrono::NaiveTime::MIN).and_utc(),
            ends_at: next_month.and_time(chrono::NaiveTime::MIN).and_utc(),
            run_by: String::new(),
            trust_id: Some(trust_id),
            feed_host: None,
        },
        now,
    )
    .await?;
    Ok(())
}
