//! One module per subcommand; `run` dispatches.

mod admin;
mod demo;
mod generate;
mod import;
mod serve;

use std::process::ExitCode;

use crate::cli::{
    AuditCommand, Cli, Command, ImportCommand, KeyCommand, TokenCommand, UserCommand,
};
use crate::config::Settings;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings::load(&cli.common, Some(&args))?;
            serve::run(settings, serve::Mode::Production)
        }
        Command::Demo(args) => {
            let settings = Settings::load(&cli.common, Some(&args.serve))?;
            demo::run(settings, args.demo_password)
        }
        Command::Migrate => admin::migrate(Settings::load(&cli.common, None)?),
        Command::User(command) => {
            let settings = Settings::load(&cli.common, None)?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    organisation,
                    name,
                } => admin::user_add(
                    settings,
                    &username,
                    &role,
                    organisation.as_deref(),
                    name.as_deref(),
                ),
                UserCommand::Disable { username } => admin::user_disable(settings, &username),
                UserCommand::ResetPassword { username } => {
                    admin::user_reset_password(settings, &username)
                }
            }
        }
        Command::Token(TokenCommand::Create {
            user,
            expires_days,
            name,
        }) => admin::token_create(
            Settings::load(&cli.common, None)?,
            &user,
            expires_days,
            &name,
        ),
        Command::Audit(AuditCommand::Verify) => {
            admin::audit_verify(Settings::load(&cli.common, None)?)
        }
        Command::Key(KeyCommand::Rotate) => admin::key_rotate(Settings::load(&cli.common, None)?),
        Command::Import(ImportCommand::Ctdc { file, organisation }) => import::ctdc(
            Settings::load(&cli.common, None)?,
            &file,
            organisation.as_deref(),
        ),
        Command::Generate(args) => generate::run(
            Settings::load(&cli.common, None)?,
            generate::Options {
                cases: args.cases,
                trainees: args.trainees,
                password: args.password,
                seed: args.seed,
                batch: args.batch,
            },
        ),
        Command::Import(ImportCommand::Course { dir }) => {
            import::course(Settings::load(&cli.common, None)?, &dir)
        }
        Command::Import(ImportCommand::Htcds {
            file,
            organisation,
            lang,
        }) => import::htcds(
            Settings::load(&cli.common, None)?,
            &file,
            organisation.as_deref(),
            lang.as_deref(),
        ),
    }
}
