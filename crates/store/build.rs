//! Rebuild when a migration is added: `embed_migrations!` alone does not
//! notice new migration folders.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
