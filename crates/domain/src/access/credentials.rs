//! Passwords: the strength rule, Argon2id hashing and verification, and generated
//! passwords for accounts made by an administrator.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use rand::distributions::Alphanumeric;
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The most characters a password may have (hashing cost grows with length).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Passwords that are refused whatever their length, because they are among the
/// first any attacker tries.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "12345678910",
    "123456789a",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "1q2w3e4r5t",
    "iloveyou123",
    "letmein123",
    "welcome123",
    "abcdefghij",
    "abc1234567",
    "administrator",
    "staffroom123",
    "headteacher",
    "teacher123",
    "school1234",
];

/// Checks that `password` is strong enough for an account called `username` with
/// address `email`. The reason names what is wrong, never the password itself.
pub fn check_strength(password: &str, username: &str, email: &str) -> Result<()> {
    let chars = password.chars().count();
    if password.trim().is_empty() {
        return Err(Error::invalid("password", "must not be empty"));
    }
    if chars < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("is too short: use at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("is too long: use at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(Error::invalid(
            "password",
            "is one of the most commonly used passwords",
        ));
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 5 {
        return Err(Error::invalid(
            "password",
            "needs at least 5 different characters",
        ));
    }
    // Names shorter than this are too common as letter runs to count as personal.
    const PERSONAL_MIN_CHARS: usize = 4;
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    let contains_personal = [username.to_lowercase(), local_part]
        .iter()
        .any(|name| name.chars().count() >= PERSONAL_MIN_CHARS && lower.contains(name.as_str()));
    if contains_personal {
        return Err(Error::invalid(
            "password",
            "must not contain the username or the email address",
        ));
    }
    Ok(())
}

/// Hashes `password` with Argon2id (the crate's recommended parameters) and a fresh
/// salt, off the async runtime's worker threads, at most [`MOST_ARGON2_RUNS`]
/// hashes and checks at a time.
pub async fn hash_password(password: String) -> Result<String> {
    run_argon2(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await
}

/// Whether `password` matches the stored `hash`.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    run_argon2(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Internal(format!("stored password hash is unreadable: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// The most Argon2id runs at once in one process.
pub const MOST_ARGON2_RUNS: usize = 4;

/// Turns to run Argon2id, [`MOST_ARGON2_RUNS`] at a time.
static ARGON2_TURNS: Semaphore = Semaphore::const_new(MOST_ARGON2_RUNS);

/// Runs `work` (an Argon2id hash or check) on the blocking pool once a turn is
/// free. Each run takes 19 MiB and most of a core for tens of milliseconds: a
/// burst of sign-ins (or of guesses) would otherwise take that much for every
/// request at once; waiting for a turn costs them time instead of memory.
async fn run_argon2<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let _turn = ARGON2_TURNS
        .acquire()
        .await
        .map_err(|e| Error::Internal(format!("password turns closed: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("password task failed: {e}")))?
}

/// A random password of 20 letters and digits (about 119 bits).
pub fn generate_password() -> String {
    random_code(20)
}

/// A random code of `len` letters and digits, for invites and tokens.
pub fn random_code(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Whether `a` and `b` are equal, compared in constant time so that a secret cannot
/// be guessed byte by byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str) -> String {
        match check_strength(password, "alice", "alice.smith@example.org") {
            Err(Error::Invalid { reason, .. }) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert_eq!(reason(""), "must not be empty");
        assert_eq!(reason("   "), "must not be empty");
        assert!(reason("short1").contains("too short"));
        assert!(reason(&"ab1".repeat(50)).contains("too long"));
        assert!(reason("Password123").contains("commonly used"));
        assert!(reason("aaaabbbbaaaa").contains("different characters"));
        assert!(reason("xx-Alice-2026!").contains("username"));
        assert!(reason("alice.smith-99").contains("username"));
    }

    #[test]
    fn short_names_do_not_count_as_personal() {
        assert!(check_strength("xmx-boat-river", "m", "m@example.org").is_ok());
        assert!(check_strength("bob-has-a-boat", "bob", "bo@example.org").is_ok());
    }

    #[test]
    fn a_strong_password_passes() {
        assert!(check_strength("correct horse battery", "alice", "alice@example.org").is_ok());
        let generated = generate_password();
        assert_eq!(generated.chars().count(), 20);
        assert!(check_strength(&generated, "alice", "alice@example.org").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() -> Result<()> {
        let hash = hash_password("correct horse battery".into()).await?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), hash.clone()).await?);
        assert!(!verify_password("correct horse batterY".into(), hash).await?);
        Ok(())
    }

    #[tokio::test]
    async fn more_passwords_than_turns_are_all_checked() -> Result<()> {
        let hash = hash_password("correct horse battery".into()).await?;
        let checks = (0..MOST_ARGON2_RUNS * 2 + 1).map(|n| {
            let guess = if n % 2 == 0 {
                "correct horse battery"
            } else {
                "wrong horse battery"
            };
            verify_password(guess.into(), hash.clone())
        });
        let results = all_at_once(checks).await?;
        let matched = results.iter().filter(|ok| **ok).count();
        assert_eq!(matched, MOST_ARGON2_RUNS + 1);
        assert_eq!(results.len(), MOST_ARGON2_RUNS * 2 + 1);
        Ok(())
    }

    /// Runs every future at once on the runtime; their answers in order.
    async fn all_at_once<T: Send + 'static>(
        futures: impl Iterator<Item = impl std::future::Future<Output = Result<T>> + Send + 'static>,
    ) -> Result<Vec<T>> {
        let tasks: Vec<_> = futures.map(tokio::spawn).collect();
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(task.await.map_err(|e| Error::Internal(e.to_string()))??);
        }
        Ok(answers)
    }
}
