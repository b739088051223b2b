//! The database side of `procap backup` and `procap restore`: a consistent
//! snapshot of SQLite (`VACUUM INTO`), an exported snapshot of PostgreSQL
//! for `pg_dump`, and the per-table row counts and digests that the backup
//! manifest records and that verification and restore compare.
//!
//! Running `pg_dump` and `pg_restore` is the caller's business; this module
//! only speaks SQL. Table names come from the database's own catalogue and
//! are quoted before they reach SQL text.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::SqliteConnection;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use sha2::{Digest, Sha256};

use crate::db::{DatabaseUrl, DbConnection, connect};
use crate::error::StoreError;

/// What the manifest records of one table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableSummary {
    pub rows: i64,
    /// SHA-256 (hex) of the table's rows, each rendered as text by the
    /// database, sorted, one per line.
    pub sha256: String,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct RowText {
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct Single {
    #[diesel(sql_type = Text)]
    value: String,
}

/// An SQL identifier in double quotes.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the database (the migration bookkeeping included), by name.
pub fn table_names(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let names: Vec<Name> = match conn {
        DbConnection::Sqlite(inner) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .load(inner)?,
        DbConnection::Postgresql(inner) => diesel::sql_query(
            "SELECT tablename::text AS name FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .load(inner)?,
    };
    Ok(names.into_iter().map(|name| name.name).collect())
}

/// Every row of `table` rendered as text, sorted.
///
/// SQLite quotes each column as an SQL literal (`quote()`), PostgreSQL
/// renders the row value; either way two databases of the same backend with
/// the same rows give the same lines.
pub fn table_rows(conn: &mut DbConnection, table: &str) -> Result<Vec<String>, StoreError> {
    let rows: Vec<RowText> = match conn {
        DbConnection::Sqlite(inner) => {
            let columns: Vec<Name> =
                diesel::sql_query("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind::<Text, _>(table)
                    .load(inner)?;
            if columns.is_empty() {
                return Err(StoreError::Corrupt(format!("table {table} has no columns")));
            }
            let row = columns
                .iter()
                .map(|column| format!("quote({})", quoted(&column.name)))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            diesel::sql_query(format!(
                "SELECT {row} AS row FROM {} ORDER BY 1",
                quoted(table)
            ))
            .load(inner)?
        }
        DbConnection::Postgresql(inner) => diesel::sql_query(format!(
            "SELECT t::text AS row FROM {} AS t ORDER BY 1",
            quoted(table)
        ))
        .load(inner)?,
    };
    Ok(rows.into_iter().map(|row| row.row).collect())
}

/// Row count and digest of every table.
pub fn summarise(conn: &mut DbConnection) -> Result<BTreeMap<String, TableSummary>, StoreError> {
    let mut summary = BTreeMap::new();
    for table in table_names(conn)? {
        let rows = table_rows(conn, &table)?;
        let mut hash = Sha256::new();
        for row in &rows {
            hash.update(row.as_bytes());
            hash.update(b"\n");
        }
        let entry = TableSummary {
            rows: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(hash.finalize()),
        };
        summary.insert(table, entry);
    }
    Ok(summary)
}

/// Writes a consistent copy of the SQLite database to `target` (which must
/// not exist) with `VACUUM INTO`, in one read transaction, while other
/// connections keep writing.
pub fn sqlite_snapshot(conn: &mut DbConnection, target: &Path) -> Result<(), StoreError> {
    let DbConnection::Sqlite(inner) = conn else {
        return Err(StoreError::Corrupt(
            "VACUUM INTO is for SQLite databases only".into(),
        ));
    };
    diesel::sql_query("VACUUM INTO $1")
        .bind::<Text, _>(target.to_string_lossy().as_ref())
        .execute(inner)?;
    Ok(())
}

/// Opens an SQLite file as it is, without the settings a live database
/// gets (WAL mode would rewrite the file's header).
pub fn open_sqlite_file(path: &Path) -> Result<DbConnection, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Connection {
            url: path.display().to_string(),
            reason: "no such file".into(),
        });
    }
    let connection = SqliteConnection::establish(&path.to_string_lossy()).map_err(|error| {
        StoreError::Connection {
            url: path.display().to_string(),
            reason: error.to_string(),
        }
    })?;
    Ok(DbConnection::Sqlite(connection))
}

/// Runs `PRAGMA integrity_check` and returns its findings; an empty list
/// means the file is sound.
pub fn sqlite_integrity_problems(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let DbConnection::Sqlite(inner) = conn else {
        return Err(StoreError::Corrupt(
            "integrity_check is for SQLite databases only".into(),
        ));
    };
    let lines: Vec<Single> =
        diesel::sql_query("SELECT integrity_check AS value FROM pragma_integrity_check")
            .load(inner)?;
    Ok(lines
        .into_iter()
        .map(|line| line.value)
        .filter(|line| line != "ok")
        .collect())
}

/// Opens a read-only, repeatable-read transaction on PostgreSQL, exports
/// its snapshot and summarises every table in it, then runs `work` with the
/// snapshot's name (for `pg_dump --snapshot`) while the transaction stays
/// open, so the dump and the summary see the same data.
pub fn with_postgres_snapshot<T>(
    url: &DatabaseUrl,
    work: impl FnOnce(&str, &BTreeMap<String, TableSummary>) -> T,
) -> Result<T, StoreError> {
    let mut conn = connect(url)?;
    if !matches!(conn, DbConnection::Postgresql(_)) {
        return Err(StoreError::Corrupt(
            "exported snapshots are for PostgreSQL only".into(),
        ));
    }
    conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    let outcome = export_and_run(&mut conn, work);
    // The transaction is read only: ending it changes nothing either way.
    let _ = conn.batch_execute("COMMIT");
    outcome
}

fn export_and_run<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&str, &BTreeMap<String, TableSummary>) -> T,
) -> Result<T, StoreError> {
    let DbConnection::Postgresql(inner) = conn else {
        return Err(StoreError::Corrupt("not a PostgreSQL connection".into()));
    };
    let snapshot: Single =
        diesel::sql_query("SELECT pg_export_snapshot() AS value").get_result(inner)?;
    let summary = summarise(conn)?;
    Ok(work(&snapshot.value, &summary))
}

/// Whether the database holds any table; restore refuses such a database.
pub fn has_tables(url: &DatabaseUrl) -> Result<bool, StoreError> {
    if let Some(path) = url.sqlite_path()
        && !path.exists()
    {
        return Ok(false);
    }
    let mut conn = connect(url)?;
    Ok(!table_names(&mut conn)?.is_empty())
}
