//! Profile pictures of local accounts: an avatar (400 × 400) and a header
//! (1500 × 500), uploaded, checked and written afresh as media processing does,
//! kept in the media store. Replacing or removing one removes its old file.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::accounts::account::{self, Account, Picture};
use crate::entities::accounts;
use crate::media::{Encoded, MediaStore, profile_image};
use crate::{Error, Result};

/// Which picture of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Avatar,
    Header,
}

impl Which {
    /// The size it is stored at: width and height.
    pub fn size(self) -> (u32, u32) {
        match self {
            Self::Avatar => (400, 400),
            Self::Header => (1500, 500),
        }
    }

    /// Its name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Avatar => "avatar",
            Self::Header => "header",
        }
    }

    fn of(self, account: &Account) -> Option<&Picture> {
        match self {
            Self::Avatar => account.avatar.as_ref(),
            Self::Header => account.header.as_ref(),
        }
    }
}

async fn store_name(
    db: &impl ConnectionTrait,
    account_id: i64,
    which: Which,
    file: Option<String>,
) -> Result<()> {
    let mut row = accounts::ActiveModel {
        id: Set(account_id),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    match which {
        Which::Avatar => row.avatar_file = Set(file),
        Which::Header => row.header_file = Set(file),
    }
    row.update(db).await?;
    Ok(())
}

/// Removes the stored file of `account`'s `which`, if it has one.
async fn remove_file(store: &MediaStore, account: &Account, which: Which) -> Result<()> {
    if let Some(Picture::Stored(file)) = which.of(account) {
        store.remove(file).await?;
    }
    Ok(())
}

/// A picture checked and made from the uploaded `bytes` (an image, see
/// `media::ACCEPTED_TYPES`), ready to [`store`]. Slow: it runs off the async
/// threads.
pub async fn prepare(which: Which, bytes: Vec<u8>) -> Result<Encoded> {
    let (width, height) = which.size();
    tokio::task::spawn_blocking(move || profile_image(&bytes, width, height))
        .await
        .map_err(|e| Error::Internal(format!("image processing stopped: {e}")))?
}

/// Makes the prepared `picture` the local `account_id`'s `which`: the account as
/// it now is.
pub async fn store(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    account_id: i64,
    which: Which,
    picture: Encoded,
) -> Result<Account> {
    let before = account::get(db, account_id).await?;
    if !before.is_local() {
        return Err(Error::Forbidden(
            "only local accounts upload pictures".into(),
        ));
    }
    let name = MediaStore::new_name(picture.format.extension());
    store.put(&name, &picture.bytes).await?;
    store_name(db, account_id, which, Some(name)).await?;
    remove_file(store, &before, which).await?;
    account::get(db, account_id).await
}

/// Removes the local `account_id`'s `which` (the default picture shows again):
/// the account as it now is.
pub async fn remove(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    account_id: i64,
    which: Which,
) -> Result<Account> {
    let before = account::get(db, account_id).await?;
    store_name(db, account_id, which, None).await?;
    remove_file(store, &before, which).await?;
    account::get(db, account_id).await
}
