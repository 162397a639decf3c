//! Delivery's bookkeeping in the database: the persistent queue of activities to
//! deliver, the health of other servers, the ids of activities received, and the
//! queue of mails to send.

pub mod mail;
pub mod queue;
pub mod received;
