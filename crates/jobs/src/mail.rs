//! Outgoing e-mail: an SMTP server, or a folder of `.eml` files for tests
//! and the demo. Messages are plain text. Nothing here logs an address or a
//! message body; errors name the transport only.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption; only for a relay on the same machine.
    None,
}

impl TlsMode {
    pub fn parse(value: &str) -> Option<TlsMode> {
        match value {
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            "none" => Some(TlsMode::None),
            _ => None,
        }
    }
}

/// Where messages go.
#[derive(Clone)]
pub enum MailTransport {
    Smtp {
        host: String,
        port: u16,
        /// User name and password, when the server asks for them.
        credentials: Option<(String, String)>,
        tls: TlsMode,
    },
    /// One `.eml` file per message in this folder.
    File(PathBuf),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::Smtp {
                host, port, tls, ..
            } => f
                .debug_struct("Smtp")
                .field("host", host)
                .field("port", port)
                .field("tls", tls)
                .finish_non_exhaustive(),
            MailTransport::File(dir) => f.debug_tuple("File").field(dir).finish(),
        }
    }
}

/// A message ready to send.
pub struct Outgoing {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// A file sent with the message, already encrypted when it holds data.
    pub attachment: Option<Attachment>,
}

/// A file attached to a message.
pub struct Attachment {
    pub file_name: String,
    /// A MIME type, e.g. `application/octet-stream`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Sends e-mail from one sender address.
#[derive(Debug, Clone)]
pub struct Mailer {
    transport: MailTransport,
    from: Mailbox,
}

impl Mailer {
    /// Checks the sender address.
    ///
    /// # Errors
    ///
    /// A message naming the setting when `from` is not an address.
    pub fn new(transport: MailTransport, from: &str) -> Result<Mailer, String> {
        let from = from
            .parse::<Mailbox>()
            .map_err(|error| format!("mail_from is not an e-mail address: {error}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends one message. Blocking: call it from a blocking thread.
    ///
    /// # Errors
    ///
    /// A message without the address or text when the address is invalid or
    /// the transport fails.
    pub fn send(&self, message: &Outgoing) -> Result<(), String> {
        let to = Mailbox::new(
            Some(message.to_name.clone()),
            message
                .to_address
                .parse()
                .map_err(|_| "the recipient address is invalid".to_owned())?,
        );
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone());
        let email = match &message.attachment {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(message.body.clone()),
            Some(attachment) => {
                let content_type = ContentType::parse(&attachment.content_type)
                    .map_err(|_| "the attachment type is invalid".to_owned())?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(message.body.clone()))
                        .singlepart(
                            lettre::message::Attachment::new(attachment.file_name.clone())
                                .body(attachment.bytes.clone(), content_type),
                        ),
                )
            }
        }
        .map_err(|error| format!("cannot build the message: {error}"))?;
        match &self.transport {
            MailTransport::File(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|error| format!("cannot create the mail folder: {error}"))?;
                FileTransport::new(dir)
                    .send(&email)
                    .map(|_| ())
                    .map_err(|error| format!("file transport failed: {error}"))
            }
            MailTransport::Smtp {
                host,
                port,
                credentials,
                tls,
            } => {
                let builder = match tls {
                    TlsMode::StartTls => SmtpTransport::starttls_relay(host),
                    TlsMode::Tls => SmtpTransport::relay(host),
                    TlsMode::None => Ok(SmtpTransport::builder_dangerous(host)),
                }
                .map_err(|error| format!("cannot set up SMTP to {host}: {error}"))?;
                let mut builder = builder.port(*port);
                if let Some((user, password)) = credentials {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                builder
                    .build()
                    .send(&email)
                    .map(|_| ())
                    // The server's text may quote the recipient, so only
                    // its status code is kept.
                    .map_err(|error| {
                        let code = error
                            .status()
                            .map_or_else(|| "no reply".to_owned(), |code| code.to_string());
                        format!("SMTP to {host}:{port} failed ({code})")
                    })
            }
        }
    }
}
