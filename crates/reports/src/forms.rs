//! Consent forms and information sheets (filled in below).
