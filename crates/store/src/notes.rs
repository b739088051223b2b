//! Case notes and the records of case attachments.
//!
//! A note's text is encrypted. An attachment's row holds its encrypted
//! original file name, the type detected from its content, its size and a
//! random object key; the bytes themselves live in object storage,
//! encrypted with [`seal_attachment`] so that they are bound to the row.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_crypto::{FieldContext, Keyring, Zeroizing};

use crate::schema::users;
use crate::schema_notes::{case_attachments, case_notes};
use crate::{Db, StoreError};

fn note_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "case_notes",
        column: "body_enc",
        row_id,
    }
}

fn file_name_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "case_attachments",
        column: "file_name_enc",
        row_id,
    }
}

fn content_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "case_attachments",
        column: "content",
        row_id,
    }
}

/// Adds a note to a case and returns its id.
pub fn add_note(
    db: &mut Db<'_>,
    case_id: &str,
    author_id: &str,
    body: &str,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    let body_enc = db.keys.encrypt_str(&note_context(&id), body);
    diesel::insert_into(case_notes::table)
        .values((
            case_notes::id.eq(&id),
            case_notes::case_id.eq(case_id),
            case_notes::body_enc.eq(body_enc),
            case_notes::author_id.eq(author_id),
            case_notes::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// A note with its text decrypted.
#[derive(Clone)]
pub struct Note {
    pub id: String,
    pub body: String,
    /// The author's username.
    pub author: String,
    pub created_at: NaiveDateTime,
}

impl std::fmt::Debug for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Note")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// A case's notes, newest first.
pub fn list_notes(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Note>, StoreError> {
    let rows: Vec<(String, Vec<u8>, String, NaiveDateTime)> = case_notes::table
        .inner_join(users::table.on(users::id.eq(case_notes::author_id)))
        .filter(case_notes::case_id.eq(case_id))
        .order((case_notes::created_at.desc(), case_notes::id.desc()))
        .select((
            case_notes::id,
            case_notes::body_enc,
            users::username,
            case_notes::created_at,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(|(id, body, author, created_at)| {
            let body = db
                .keys
                .decrypt_string(&note_context(&id), &body)?
                .to_string();
            Ok(Note {
                id,
                body,
                author,
                created_at,
            })
        })
        .collect()
}

/// The record of an uploaded attachment. The caller has stored the sealed
/// bytes under `object_key` first.
pub struct NewAttachment<'a> {
    /// Chosen by the caller (with [`crate::new_id`]) because the sealed
    /// bytes are bound to it.
    pub id: &'a str,
    pub case_id: &'a str,
    /// The original file name, as sent; encrypted.
    pub file_name: &'a str,
    /// The MIME type detected from the content.
    pub content_type: &'a str,
    pub size_bytes: i64,
    /// A random id, never derived from the file name.
    pub object_key: &'a str,
    pub uploaded_by: &'a str,
}

pub fn add_attachment(db: &mut Db<'_>, new: &NewAttachment<'_>) -> Result<(), StoreError> {
    let file_name = db
        .keys
        .encrypt_str(&file_name_context(new.id), new.file_name);
    diesel::insert_into(case_attachments::table)
        .values((
            case_attachments::id.eq(new.id),
            case_attachments::case_id.eq(new.case_id),
            case_attachments::file_name_enc.eq(file_name),
            case_attachments::content_type.eq(new.content_type),
            case_attachments::size_bytes.eq(new.size_bytes),
            case_attachments::object_key.eq(new.object_key),
            case_attachments::uploaded_by.eq(new.uploaded_by),
            case_attachments::uploaded_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// An attachment's record with its file name decrypted.
#[derive(Clone)]
pub struct Attachment {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub object_key: String,
    /// The uploader's username.
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("id", &self.id)
            .field("content_type", &self.content_type)
            .field("size_bytes", &self.size_bytes)
            .finish_non_exhaustive()
    }
}

type AttachmentRow = (
    String,
    String,
    Vec<u8>,
    String,
    i64,
    String,
    String,
    NaiveDateTime,
);

fn decode_attachment(db: &Db<'_>, row: AttachmentRow) -> Result<Attachment, StoreError> {
    let (id, case_id, file_name, content_type, size_bytes, object_key, by, at) = row;
    let file_name = db
        .keys
        .decrypt_string(&file_name_context(&id), &file_name)?
        .to_string();
    Ok(Attachment {
        id,
        case_id,
        file_name,
        content_type,
        size_bytes,
        object_key,
        uploaded_by: by,
        uploaded_at: at,
    })
}

/// A case's attachments, newest first.
pub fn list_attachments(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Attachment>, StoreError> {
    let rows: Vec<AttachmentRow> = case_attachments::table
        .inner_join(users::table.on(users::id.eq(case_attachments::uploaded_by)))
        .filter(case_attachments::case_id.eq(case_id))
        .order((
            case_attachments::uploaded_at.desc(),
            case_attachments::id.desc(),
        ))
        .select((
            case_attachments::id,
            case_attachments::case_id,
            case_attachments::file_name_enc,
            case_attachments::content_type,
            case_attachments::size_bytes,
            case_attachments::object_key,
            users::username,
            case_attachments::uploaded_at,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(|row| decode_attachment(db, row))
        .collect()
}

/// One attachment of a case; `NotFound` when the id belongs to no
/// attachment of that case.
pub fn get_attachment(
    db: &mut Db<'_>,
    case_id: &str,
    attachment_id: &str,
) -> Result<Attachment, StoreError> {
    let row: AttachmentRow = case_attachments::table
        .inner_join(users::table.on(users::id.eq(case_attachments::uploaded_by)))
        .filter(case_attachments::id.eq(attachment_id))
        .filter(case_attachments::case_id.eq(case_id))
        .select((
            case_attachments::id,
            case_attachments::case_id,
            case_attachments::file_name_enc,
            case_attachments::content_type,
            case_attachments::size_bytes,
            case_attachments::object_key,
            users::username,
            case_attachments::uploaded_at,
        ))
        .first(db.conn)?;
    decode_attachment(db, row)
}

/// Encrypts an attachment's bytes, bound to its row id, for object storage.
pub fn seal_attachment(keys: &Keyring, attachment_id: &str, content: &[u8]) -> Vec<u8> {
    keys.encrypt(&content_context(attachment_id), content)
}

/// Decrypts bytes sealed by [`seal_attachment`] for the same row id.
///
/// Errors: `StoreError::Crypto` when the bytes were altered, belong to
/// another attachment or were sealed with a key no longer in the ring.
pub fn open_attachment(
    keys: &Keyring,
    attachment_id: &str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    Ok(keys.decrypt(&content_context(attachment_id), sealed)?)
}
