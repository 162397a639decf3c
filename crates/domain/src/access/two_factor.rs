//! Two-factor sign-in: time-based one-time passwords (RFC 6238: HMAC-SHA-1, six
//! digits, thirty-second steps, one step of clock drift either way, through the
//! `totp-rs` crate) and ten one-time recovery codes.
//!
//! A secret is made for set-up and stored only once the person typed a code their
//! app made from it. The secret is kept in `users.otp_secret` and never logged;
//! the step of the last accepted code is kept too, so that no code works twice.
//! Recovery codes are kept as SHA-256 hashes and each works once.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use totp_rs::{Algorithm, Secret, Totp};

use crate::access::user::User;
use crate::entities::{recovery_codes, users};
use crate::{
    Error, Result,
    access::{credentials, oauth, user},
    id,
};

/// How many recovery codes a person gets.
pub const RECOVERY_CODES: usize = 10;
/// How many random bytes a secret has (160 bits, as RFC 4226 recommends).
const SECRET_BYTES: usize = 20;
/// How many letters and digits a recovery code has (shown as two groups of five).
const RECOVERY_CODE_CHARS: usize = 10;

/// A secret offered at set-up: the base32 text to type into an app, and the
/// `otpauth://` address a QR code carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Setup {
    pub secret: String,
    pub url: String,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Setup { .. }")
    }
}

/// The generator of codes for `secret` (base32), labelled for `issuer` and
/// `username` in authenticator apps.
fn totp(secret: &str, issuer: &str, username: &str) -> Result<Totp> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|_| Error::invalid("secret", "is not a two-factor secret"))?;
    // A label may not hold a colon (an instance's domain may, with its port).
    let label = |text: &str| text.replace(':', " ");
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(bytes)
        .with_issuer(Some(label(issuer)))
        .with_account_name(label(username))
        .build()
        .map_err(|_| Error::invalid("secret", "is not a two-factor secret"))
}

/// A fresh secret for `user` to set up, labelled with `issuer` (the instance).
pub fn new_setup(issuer: &str, user: &User) -> Result<Setup> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = Secret::from(bytes).to_base32();
    setup_of(&secret, issuer, user)
}

/// The set-up of a secret already offered (a form sent back with a wrong code).
pub fn setup_of(secret: &str, issuer: &str, user: &User) -> Result<Setup> {
    let totp = totp(secret, issuer, &user.account.username)?;
    let url = totp
        .to_url()
        .map_err(|e| Error::Internal(format!("the otpauth address could not be made: {e}")))?;
    Ok(Setup {
        secret: secret.to_owned(),
        url,
    })
}

/// The time step in which `code` is right for `secret` at `now`, if it is.
fn step_of(secret: &str, code: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    let totp = totp(secret, "", "")?;
    let seconds = u64::try_from(now.timestamp()).unwrap_or_default();
    Ok(totp
        .check(code, seconds)
        .and_then(|step| i64::try_from(step).ok()))
}

/// Six digits, spaces and dashes left out.
fn digits_of(code: &str) -> Option<String> {
    let digits: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A recovery code as stored: lower case, without spaces and dashes.
fn normalised_recovery_code(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    (code.len() == RECOVERY_CODE_CHARS && code.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(code)
}

/// A fresh recovery code, as shown: `abcde-12345`.
fn new_recovery_code() -> String {
    let code = credentials::random_code(RECOVERY_CODE_CHARS).to_lowercase();
    format!("{}-{}", &code[..5], &code[5..])
}

fn wrong_code() -> Error {
    Error::invalid("code", "is not right")
}

/// Turns two-factor sign-in on for `account_id` with `secret` (from
/// [`new_setup`]), if `code` is right for it now; the recovery codes, shown only
/// now. `Conflict` when it is on already, `Invalid` for a wrong code.
pub async fn enable(
    db: &(impl ConnectionTrait + TransactionTrait),
    account_id: i64,
    secret: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let row = users::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    if row.otp_secret.is_some() {
        return Err(Error::Conflict(
            "two-factor sign-in is already on".to_owned(),
        ));
    }
    let step = match digits_of(code) {
        Some(digits) => step_of(secret, &digits, now)?,
        None => None,
    };
    let Some(step) = step else {
        return Err(wrong_code());
    };
    let txn = crate::database::begin_write(db).await?;
    users::ActiveModel {
        account_id: Set(account_id),
        otp_secret: Set(Some(secret.to_owned())),
        otp_last_step: Set(Some(step)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let codes = replace_recovery_codes(&txn, account_id, now).await?;
    txn.commit().await?;
    Ok(codes)
}

/// Makes `account_id` a new set of recovery codes (the old ones stop working).
async fn replace_recovery_codes(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        let stored = normalised_recovery_code(&code).unwrap_or_default();
        recovery_codes::ActiveModel {
            id: Set(id::new_id(now)),
            account_id: Set(account_id),
            code_hash: Set(oauth::hash(&stored)),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// What proved the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code from the authenticator app.
    AppCode,
    /// A recovery code, now used up.
    RecoveryCode,
}

/// Checks `code` (six digits from the app, or a recovery code) for `account_id`
/// at `now`, and uses it up: a code from the app works once, within its step and
/// one either side; a recovery code works once. `Invalid` for a wrong or used
/// code, or when two-factor sign-in is off.
pub async fn verify(
    db: &impl ConnectionTrait,
    account_id: i64,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Proof> {
    let row = users::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let Some(secret) = row.otp_secret else {
        return Err(wrong_code());
    };
    if let Some(digits) = digits_of(code) {
        let Some(step) = step_of(&secret, &digits, now)? else {
            return Err(wrong_code());
        };
        // Only a step later than the last one used counts; two requests racing
        // with one code: one of them updates the row.
        let updated = users::Entity::update_many()
            .col_expr(
                users::Column::OtpLastStep,
                sea_orm::sea_query::Expr::value(Some(step)),
            )
            .filter(users::Column::AccountId.eq(account_id))
            .filter(
                sea_orm::Condition::any()
                    .add(users::Column::OtpLastStep.is_null())
                    .add(users::Column::OtpLastStep.lt(step)),
            )
            .exec(db)
            .await?;
        return if updated.rows_affected == 1 {
            Ok(Proof::AppCode)
        } else {
            Err(wrong_code())
        };
    }
    let Some(normalised) = normalised_recovery_code(code) else {
        return Err(wrong_code());
    };
    let deleted = recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.eq(account_id))
        .filter(recovery_codes::Column::CodeHash.eq(oauth::hash(&normalised)))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(wrong_code());
    }
    Ok(Proof::RecoveryCode)
}

/// Makes `user` ten new recovery codes, the old ones no longer working, when
/// `proof` is their password or a current code from their app (not a recovery
/// code). `Invalid` (field `proof`) when it is neither, or when two-factor
/// sign-in is off; nothing changes then. The codes, shown only now.
pub async fn regenerate_recovery_codes(
    db: &(impl ConnectionTrait + TransactionTrait),
    user: &User,
    proof: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let refused = || Error::invalid("proof", "is neither the password nor a current code");
    if !user.two_factor {
        return Err(refused());
    }
    let proven = user::verify_password(db, user, proof).await?
        || (digits_of(proof).is_some()
            && verify(db, user.account.id, proof, now).await? == Proof::AppCode);
    if !proven {
        return Err(refused());
    }
    let txn = crate::database::begin_write(db).await?;
    let codes = replace_recovery_codes(&txn, user.account.id, now).await?;
    txn.commit().await?;
    Ok(codes)
}

/// How many recovery codes `account_id` has left.
pub async fn recovery_codes_left(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(recovery_codes::Entity::find()
        .filter(recovery_codes::Column::AccountId.eq(account_id))
        .count(db)
        .await?)
}

/// Turns two-factor sign-in off for `user`, who proves it is them with their
/// `password` and a `code` (from the app or a recovery code). `Invalid` with field
/// `password` or `code` for a wrong one; nothing changes then.
pub async fn disable(
    db: &impl ConnectionTrait,
    user: &User,
    password: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if !user::verify_password(db, user, password).await? {
        return Err(Error::invalid("password", "is not right"));
    }
    verify(db, user.account.id, code, now).await?;
    turn_off(db, user.account.id).await
}

/// Turns two-factor sign-in off for `account_id` without asking (for an operator
/// helping someone who lost their device and their recovery codes).
pub async fn turn_off(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    users::ActiveModel {
        account_id: Set(account_id),
        otp_secret: Set(None),
        otp_last_step: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_without_spaces_and_dashes() {
        assert_eq!(digits_of(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(digits_of("12345"), None);
        assert_eq!(digits_of("12345a"), None);
        let code = new_recovery_code();
        assert_eq!(code.len(), RECOVERY_CODE_CHARS + 1);
        assert_eq!(
            normalised_recovery_code(&code.to_uppercase()),
            Some(code.replace('-', ""))
        );
        assert_eq!(normalised_recovery_code("123456"), None);
    }

    #[test]
    fn a_code_is_right_in_its_step_and_one_either_side() {
        let secret = Secret::from(vec![7u8; SECRET_BYTES]).to_base32();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let code = totp(&secret, "", "")
            .unwrap()
            .generate(1_700_000_000)
            .to_string();
        let step = 1_700_000_000 / 30;
        assert_eq!(step_of(&secret, &code, now).unwrap(), Some(step));
        let later = now + chrono::TimeDelta::seconds(30);
        assert!(step_of(&secret, &code, later).unwrap().is_some());
        let much_later = now + chrono::TimeDelta::seconds(120);
        assert_eq!(step_of(&secret, &code, much_later).unwrap(), None);
        assert!(step_of("not base32!", &code, now).is_err());
    }
}
