//! `serve --demo`: demo accounts and posts, so that a newcomer has something to look
//! at straight away. Seeding twice adds nothing twice; each run prints fresh passwords.

use std::io::Write;

use chrono::{Datelike, Utc};
use staffroom_domain::challenge::{self, NewChallenge};
use staffroom_domain::keys::KeyPair;
use staffroom_domain::post::{self, NewPost, Visibility};
use staffroom_domain::user::{self, NewUser, Role};
use staffroom_domain::{Database, Result, account, credentials};
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
                        invite_id: None,
                        sign_up_reason: None,
                        keys,
                    },
                )
                .await?
                .account
            }
        };
        if staffroom_domain::post_details::author(db, account.id)
            .await?
            .posting
            .posts
            == 0
        {
            for (visibility, text) in demo.posts {
                post::create_local(
                    db,
                    &account,
                    NewPost {
                        text: (*text).to_owned(),
                        visibility: *visibility,
                        spoiler_text: String::new(),
                        language: Some("en".to_owned()),
                        in_reply_to_id: None,
                        mentioned: Vec::new(),
                        media_ids: Vec::new(),
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
    }
    seed_challenge(db).await
}

/// This month's challenge, unless one is running.
async fn seed_challenge(db: &Database) -> Result<()> {
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
        NewChallenge {
            title: "Raising the aspirations of disadvantaged pupils".to_owned(),
            description: "What does your school do so that every pupil can picture a future worth working for? Share **one thing that works** (and one that did not) under the hashtag.".to_owned(),
            hashtag: "ambitionfeed".to_owned(),
            starts_at: first.and_time(chrono::NaiveTime::MIN).and_utc(),
            ends_at: next_month.and_time(chrono::NaiveTime::MIN).and_utc(),
            run_by: "Staffroom demo network".to_owned(),
            feed_host: None,
        },
        None,
        now,
    )
    .await?;
    Ok(())
}
