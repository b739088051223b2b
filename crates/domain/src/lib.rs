//! Procap's domain: the types, rules and calculations a caseworker, trainer or
//! coordinator would recognise. No I/O, no async, no database: everything here
//! is a pure function or a type that exists only when valid.

pub mod account;
pub mod case;
pub mod locale;
pub mod role;
pub mod screening;
pub mod stats;
pub mod text;
pub mod training;
