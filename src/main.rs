//! The `procap` binary: parses the command line, loads the configuration and
//! hands over to one command. Everything else lives in the workspace crates.

mod cli;
mod commands;
mod config;
mod logging;
mod startup;

use std::process::ExitCode;

use clap::Parser;

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
