//! The `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
    pub approved: bool,
    pub invite_id: Option<i64>,
    pub last_active_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub sign_up_reason: Option<String>,
    pub confirmed: bool,
    /// The TOTP secret, base32, once two-factor sign-in is on; never logged.
    pub otp_secret: Option<String>,
    /// The time step of the last code accepted: no code works twice.
    pub otp_last_step: Option<i64>,
    /// A new address asked for, until the link mailed to it is followed.
    pub unconfirmed_email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::accounts::Entity",
        from = "Column::AccountId",
        to = "super::accounts::Column::Id"
    )]
    Account,
}

impl Related<super::accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
