//! Receiving: an activity posted to an inbox is checked (digest, signature by its own
//! actor's key, domains) and then applied once.

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};

use crate::activities::InboxActivity;
use crate::context::Data;
use crate::error::Error;
use crate::objects::person::DbActor;

/// Checks and applies the activity in `request`.
pub async fn receive(request: ActivityData, data: &Data) -> Result<(), Error> {
    receive_activity::<InboxActivity, DbActor, _>(request, data).await
}
