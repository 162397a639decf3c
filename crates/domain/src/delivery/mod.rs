//! Federation's bookkeeping in the database: the persistent queue of activities to
//! deliver, the health of other servers, and the ids of activities received.

pub mod queue;
pub mod received;
