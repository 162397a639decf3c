//! The school-leader directory: trusts and schools (each an organisation account, so
//! that other servers can follow them), the admins of each trust, and leader
//! profiles on people's accounts. Local and remote rows share the tables; the
//! account says where each lives.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A foreign key from `table.column` to `to_table.to_column`.
fn reference(
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    to_table: impl IntoIden + 'static,
    to_column: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(to_table, to_column)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Trusts::Table)
                    // The trust's own account (kind `organization`): one row each.
                    .col(big_integer(Trusts::AccountId).primary_key())
                    .col(string_len(Trusts::Name, 200))
                    .col(string_len(Trusts::Slug, 64))
                    .col(string_len(Trusts::Kind, 32))
                    .col(string_len_null(Trusts::Website, 2048))
                    .col(string_len_null(Trusts::Region, 32))
                    .col(text(Trusts::Description).default(""))
                    .col(timestamp_with_time_zone(Trusts::CreatedAt))
                    .col(timestamp_with_time_zone(Trusts::UpdatedAt))
                    .foreign_key(&mut reference(
                        Trusts::Table,
                        Trusts::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "trusts_region_idx", Trusts::Table, Trusts::Region).await?;

        manager
            .create_table(
                Table::create()
                    .table(Schools::Table)
                    .col(big_integer(Schools::AccountId).primary_key())
                    // Six digits. Unique among this instance's schools: the local
                    // school's username is made from it, and usernames are unique.
                    .col(string_len(Schools::Urn, 6))
                    .col(string_len(Schools::Name, 200))
                    .col(string_len(Schools::Phase, 32))
                    .col(string_len(Schools::SchoolType, 100).default(""))
                    .col(string_len_null(Schools::Region, 32))
                    .col(string_len_null(Schools::LocalAuthority, 100))
                    .col(string_len(Schools::InspectionGrade, 32))
                    .col(date_null(Schools::InspectionDate))
                    .col(big_integer_null(Schools::TrustId))
                    .col(string_len_null(Schools::Website, 2048))
                    .col(timestamp_with_time_zone(Schools::CreatedAt))
                    .col(timestamp_with_time_zone(Schools::UpdatedAt))
                    .foreign_key(&mut reference(
                        Schools::Table,
                        Schools::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        Schools::Table,
                        Schools::TrustId,
                        Trusts::Table,
                        Trusts::AccountId,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "schools_urn_idx", Schools::Table, Schools::Urn).await?;
        index(
            manager,
            "schools_trust_idx",
            Schools::Table,
            Schools::TrustId,
        )
        .await?;
        index(
            manager,
            "schools_region_idx",
            Schools::Table,
            Schools::Region,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrustAdmins::Table)
                    .col(big_integer(TrustAdmins::TrustId))
                    .col(big_integer(TrustAdmins::AccountId))
                    .col(timestamp_with_time_zone(TrustAdmins::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TrustAdmins::TrustId)
                            .col(TrustAdmins::AccountId),
                    )
                    .foreign_key(&mut reference(
                        TrustAdmins::Table,
                        TrustAdmins::TrustId,
                        Trusts::Table,
                        Trusts::AccountId,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        TrustAdmins::Table,
                        TrustAdmins::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "trust_admins_account_idx",
            TrustAdmins::Table,
            TrustAdmins::AccountId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeaderProfiles::Table)
                    .col(big_integer(LeaderProfiles::AccountId).primary_key())
                    .col(string_len(LeaderProfiles::Role, 32))
                    .col(big_integer_null(LeaderProfiles::SchoolId))
                    .col(big_integer_null(LeaderProfiles::TrustId))
                    // A JSON array of short strings.
                    .col(text(LeaderProfiles::Interests).default("[]"))
                    // Set when an admin of the trust confirmed the membership (for a
                    // remote leader: when their server says it is confirmed).
                    .col(timestamp_with_time_zone_null(LeaderProfiles::ConfirmedAt))
                    .col(big_integer_null(LeaderProfiles::ConfirmedBy))
                    .col(timestamp_with_time_zone(LeaderProfiles::UpdatedAt))
                    .foreign_key(&mut reference(
                        LeaderProfiles::Table,
                        LeaderProfiles::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        LeaderProfiles::Table,
                        LeaderProfiles::SchoolId,
                        Schools::Table,
                        Schools::AccountId,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut reference(
                        LeaderProfiles::Table,
                        LeaderProfiles::TrustId,
                        Trusts::Table,
                        Trusts::AccountId,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut reference(
                        LeaderProfiles::Table,
                        LeaderProfiles::ConfirmedBy,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "leader_profiles_school_idx",
            LeaderProfiles::Table,
            LeaderProfiles::SchoolId,
        )
        .await?;
        index(
            manager,
            "leader_profiles_trust_idx",
            LeaderProfiles::Table,
            LeaderProfiles::TrustId,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LeaderProfiles::Table.into_iden(),
            TrustAdmins::Table.into_iden(),
            Schools::Table.into_iden(),
            Trusts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Trusts {
    Table,
    AccountId,
    Name,
    Slug,
    Kind,
    Website,
    Region,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Schools {
    Table,
    AccountId,
    Urn,
    Name,
    Phase,
    SchoolType,
    Region,
    LocalAuthority,
    InspectionGrade,
    InspectionDate,
    TrustId,
    Website,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrustAdmins {
    Table,
    TrustId,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeaderProfiles {
    Table,
    AccountId,
    Role,
    SchoolId,
    TrustId,
    Interests,
    ConfirmedAt,
    ConfirmedBy,
    UpdatedAt,
}
