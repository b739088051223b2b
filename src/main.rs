//! The `procap` binary: parses the command line, loads the configuration and
//! hands over to one command. Everything else lives in the workspace crates.

mod cli;
mod commands;
mod config;
mod logging;
mod startup;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator. Under 32 concurrent requests
/// the server spent about a sixth of its time in glibc's malloc and free,
/// and glibc kept freed memory, so the server grew past 300 MiB
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
