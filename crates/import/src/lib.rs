//! Parsing and mapping of external trafficking data sets into Procap's
//! vocabulary codes, and the context figures compiled in from UNODC's and
//! CTDC's published data. The crate does no I/O beyond reading the given
//! reader and never touches the database: callers store the returned
//! records.

pub mod context;
pub mod ctdc;
mod error;
pub mod htcds;
pub mod scorm;
pub mod unodc;

pub use ctdc::{CtdcRecord, parse_ctdc, parse_ctdc_with_progress};
pub use error::{ImportError, MAX_ERRORS};
pub use htcds::{
    HtcdsError, HtcdsRecord, parse_htcds, parse_htcds_bytes, parse_htcds_with_progress,
};
