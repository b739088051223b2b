//! Statistics that protect people: small-cell suppression for published
//! tables of counts, k-anonymity for record-level releases, the AMIF
//! indicators computed from plain rows, the tables of the NRM statistics,
//! the shaping of the case dashboard's counts and the context figures shown
//! beside them.
//!
//! Everything here is pure: the store loads rows, these functions decide what
//! may be published, and the web layer renders it. `docs/statistics.md`
//! explains the rules and the reasoning behind them.

pub mod amif;
pub mod context;
pub mod dashboard;
mod disclosure;
pub mod hierarchy;
pub mod kanon;
pub mod m49;
pub mod nrm;
pub mod tables;

#[cfg(test)]
mod tests;
