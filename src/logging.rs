//! Log set-up: human-readable text or one JSON object per line, filtered by
//! the `log` setting. Log lines carry ids, never personal data or secrets.

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

pub fn init(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|error| anyhow::anyhow!("invalid log filter {filter:?}: {error}"))?;
    // Colours only on a terminal: log files and journald get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_ansi(ansi);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    result.map_err(|error| anyhow::anyhow!("cannot start logging: {error}"))?;
    std::panic::set_hook(Box::new(log_panic));
    Ok(())
}

/// Logs a panic instead of printing it. The default hook prints the panic
/// message, and a message built with `format!` (e.g. by `expect` or
/// `panic!` with arguments) can carry request data. Only fixed messages,
/// which are `&'static str` payloads, are logged as they are.
fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
    let location = info
        .location()
        .map(|location| format!("{}:{}", location.file(), location.line()));
    tracing::error!(
        location = location.as_deref(),
        message = fixed_message(info.payload()),
        "panic"
    );
}

/// The panic message when it is a literal in the code; `None` for a
/// formatted message, which may contain data.
fn fixed_message(payload: &(dyn std::any::Any + Send)) -> Option<&'static str> {
    payload.downcast_ref::<&'static str>().copied()
}

#[cfg(test)]
mod tests {
    use super::fixed_message;

    #[test]
    fn only_literal_panic_messages_are_kept() {
        let literal = std::panic::catch_unwind(|| panic!("a fixed message")).unwrap_err();
        assert_eq!(fixed_message(literal.as_ref()), Some("a fixed message"));

        let name = "Ξανθιππούλα";
        let formatted = std::panic::catch_unwind(|| panic!("no case for {name}")).unwrap_err();
        assert_eq!(fixed_message(formatted.as_ref()), None);
    }
}
