//! Case management: the controlled vocabularies of a case record, the case
//! code, the NRM status and its legal clocks, date and age rules, and the
//! country and language lists.

pub mod age;
pub mod code;
pub mod dates;
pub mod followup;
pub mod geo;
pub mod nrm;
pub mod vocab;

#[cfg(test)]
mod tests;
