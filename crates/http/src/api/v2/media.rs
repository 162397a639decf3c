//! `/api/v2/media`: the upload endpoint apps use today. Processing is synchronous,
//! so it answers like `POST /api/v1/media`: 200 with the finished attachment.

pub use crate::api::v1::media::create;
