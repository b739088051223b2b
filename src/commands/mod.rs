//! One module per subcommand; `run` dispatches.

mod admin;
mod backup;
mod demo;
mod export;
mod generate;
mod import;
mod report;
mod serve;

use std::process::ExitCode;

use crate::cli::{
    AuditCommand, Cli, Command, ExportCommand, ImportCommand, KeyCommand, ReportCommand,
    TokenCommand, UserCommand,
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
        Command::Report(ReportCommand::Amif {
            from,
            to,
            format,
            output,
            organisation,
        }) => report::amif(
            Settings::load(&cli.common, None)?,
            &from,
            &to,
            format,
            &output,
            organisation.as_deref(),
        ),
        Command::Report(ReportCommand::Nrm {
            from,
            to,
            format,
            output,
            organisation,
        }) => report::nrm(
            Settings::load(&cli.common, None)?,
            &from,
            &to,
            format,
            &output,
            organisation.as_deref(),
        ),
        Command::Export(ExportCommand::Published { output }) => {
            report::published(Settings::load(&cli.common, None)?, &output)
        }
        Command::Export(ExportCommand::Htcds(args)) => {
            export::htcds(Settings::load(&cli.common, None)?, &args)
        }
        Command::Backup(args) => {
            let settings = Settings::load(&cli.common, None)?;
            match (&args.verify, &args.output) {
                (Some(file), _) => backup::verify(&settings, file, args.identity.as_deref()),
                (None, Some(output)) => backup::backup(&settings, output, &args.recipient),
                (None, None) => anyhow::bail!("give --output FILE or --verify FILE"),
            }
        }
        Command::Restore(args) => backup::restore(
            &Settings::load(&cli.common, None)?,
            &args.file,
            args.identity.as_deref(),
        ),
    }
}
