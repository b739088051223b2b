//! The `procap` binary: parses the command line, loads the configuration and
//! hands over to one command. Everything else lives in the workspace crates.

mod cli;
mod commands;
mod config;
mod logging;
mod startup;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: under 32 concurrent requests
/// glibc's malloc spent a sixth of the server's time in its own locks and
/// kept freed memory, so the server grew past 300 MiB
/// (`docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Printed rather than logged: the logger may not be set up yet,
            // and this is the message the operator must read.
            eprintln!("procap: {error:#}");
            ExitCode::FAILURE
        }
    }
}
