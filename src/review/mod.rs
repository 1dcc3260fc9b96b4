//! Review stage: a reviewer's decisions on the flags (`decisions`), their application to the
//! transcript (`apply`), and the local review page that records them (`server`).

pub mod apply;
pub mod decisions;
pub mod server;
