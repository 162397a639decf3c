//! Node numbers leased from the database, so that every process sharing it puts a
//! different number in its ids (see [`crate::id`]). A process claims a free node
//! when it opens the database, renews its lease while it runs, and gives it back
//! when it stops; a node whose lease has run out (its process died) may be
//! claimed again.

use chrono::{DateTime, TimeDelta, Utc};
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::id_nodes;
use crate::id::{self, MAX_NODES};
use crate::{Error, Result};

/// How long a lease lasts without being renewed.
pub const LEASE: TimeDelta = TimeDelta::seconds(90);
/// How often a running process renews its lease.
pub const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// The node this process holds in one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub node: u16,
    /// Who holds it: this process's process id and a random token.
    holder: String,
}

fn new_holder() -> String {
    let mut token = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut token);
    let token: String = token.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{token}", std::process::id())
}

/// Whether `holder` got `node`: a free one is inserted, a lapsed one (or its own)
/// taken over, both in one statement so that two processes never both win.
async fn try_claim(
    db: &impl ConnectionTrait,
    node: u16,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let number = i16::try_from(node).map_err(|_| Error::Internal("node out of range".into()))?;
    let inserted = id_nodes::Entity::insert(id_nodes::ActiveModel {
        node: Set(number),
        holder: Set(holder.to_owned()),
        renewed_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(id_nodes::Column::Node)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted > 0 {
        return Ok(true);
    }
    let taken = id_nodes::Entity::update_many()
        .col_expr(id_nodes::Column::Holder, holder.into())
        .col_expr(id_nodes::Column::RenewedAt, now.into())
        .filter(id_nodes::Column::Node.eq(number))
        .filter(
            Condition::any()
                .add(id_nodes::Column::RenewedAt.lt(now - LEASE))
                .add(id_nodes::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected > 0)
}

/// Claims a node for this process in `db` and puts it in the ids the process makes:
/// the node the process already uses if it is free here (a process serving several
/// databases keeps one number), otherwise the lowest free one. `Conflict` when
/// every node is held.
pub async fn claim(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Lease> {
    let holder = new_holder();
    let current = id::node();
    for node in std::iter::once(current).chain((0..MAX_NODES).filter(|&n| n != current)) {
        if try_claim(db, node, &holder, now).await? {
            id::set_node(node);
            tracing::debug!(node, "id node claimed");
            return Ok(Lease { node, holder });
        }
    }
    Err(Error::Conflict(format!(
        "all {MAX_NODES} id nodes of this database are held by running processes"
    )))
}

/// Renews `lease`; if it lapsed and another process took the node, claims another
/// one (this process's ids then carry the new node). The lease as it now stands.
pub async fn renew(db: &impl ConnectionTrait, lease: &Lease, now: DateTime<Utc>) -> Result<Lease> {
    let number = i16::try_from(lease.node).unwrap_or_default();
    let renewed = id_nodes::Entity::update_many()
        .col_expr(id_nodes::Column::RenewedAt, now.into())
        .filter(id_nodes::Column::Node.eq(number))
        .filter(id_nodes::Column::Holder.eq(lease.holder.as_str()))
        .exec(db)
        .await?;
    if renewed.rows_affected > 0 {
        return Ok(lease.clone());
    }
    tracing::warn!(
        node = lease.node,
        "this process's id node was taken over after its lease ran out; claiming another"
    );
    claim(db, now).await
}

/// Gives `lease` back, so that the node is free at once.
pub async fn release(db: &impl ConnectionTrait, lease: &Lease) -> Result<()> {
    let number = i16::try_from(lease.node).unwrap_or_default();
    id_nodes::Entity::delete_many()
        .filter(id_nodes::Column::Node.eq(number))
        .filter(id_nodes::Column::Holder.eq(lease.holder.as_str()))
        .exec(db)
        .await?;
    Ok(())
}
