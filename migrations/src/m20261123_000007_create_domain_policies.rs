//! Domain policies: servers this instance blocks, or (in allowlist mode) allows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DomainPolicies::Table)
                    // Lower-cased, without a trailing dot; covers its subdomains too.
                    .col(string_len(DomainPolicies::Domain, 255).primary_key())
                    // `block` or `allow`.
                    .col(string_len(DomainPolicies::Policy, 16))
                    .col(text(DomainPolicies::Reason).default(""))
                    .col(timestamp_with_time_zone(DomainPolicies::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DomainPolicies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DomainPolicies {
    Table,
    Domain,
    Policy,
    Reason,
    CreatedAt,
}
