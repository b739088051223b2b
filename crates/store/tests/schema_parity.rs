//! The SQLite and PostgreSQL migrations must produce the same tables,
//! columns, types, nullability and indexes.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use procap_store::DbConnection;
use procap_store::testing::{TestDatabase, is_ci};

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(QueryableByName)]
struct IndexName {
    #[diesel(sql_type = Text)]
    name: String,
}

fn normalise_type(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "text" => "text",
        "bigint" => "bigint",
        "integer" => "integer",
        "boolean" => "boolean",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "date" => "date",
        "blob" | "bytea" => "binary",
        "double precision" | "double" | "real" => "double",
        other => panic!("type {other} has no mapping in the parity test; add one"),
    }
    .to_owned()
}

type Shape = (BTreeSet<(String, String, String, bool)>, BTreeSet<String>);

fn sqlite_shape(connection: &mut DbConnection) -> Shape {
    let DbConnection::Sqlite(conn) = connection else {
        unreachable!()
    };
    let columns: Vec<SqliteColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, p.\"notnull\" AS not_null \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%diesel%' \
         AND m.name NOT LIKE '%_fts%'",
    )
    .load(conn)
    .unwrap();
    let indexes: Vec<IndexName> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' \
         AND tbl_name NOT LIKE '%_fts%'",
    )
    .load(conn)
    .unwrap();
    (
        columns
            .into_iter()
            .map(|c| {
                (
                    c.table_name,
                    c.column_name,
                    normalise_type(&c.data_type),
                    c.not_null == 1,
                )
            })
            .collect(),
        indexes.into_iter().map(|i| i.name).collect(),
    )
}

fn postgres_shape(connection: &mut DbConnection) -> Shape {
    let DbConnection::Postgresql(conn) = connection else {
        unreachable!()
    };
    let columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
         is_nullable::text AS is_nullable FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '%diesel%'",
    )
    .load(conn)
    .unwrap();
    let indexes: Vec<IndexName> = diesel::sql_query(
        "SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' AND tablename NOT LIKE '%diesel%'",
    )
    .load(conn)
    .unwrap();
    (
        columns
            .into_iter()
            .map(|c| {
                (
                    c.table_name,
                    c.column_name,
                    normalise_type(&c.data_type),
                    c.is_nullable == "NO",
                )
            })
            .collect(),
        indexes.into_iter().map(|i| i.name).collect(),
    )
}

#[test]
fn sqlite_and_postgres_schemas_match() {
    let sqlite = TestDatabase::sqlite();
    let Some(postgres) = TestDatabase::postgres() else {
        assert!(!is_ci(), "PostgreSQL is required under CI");
        return;
    };
    let (sqlite_columns, sqlite_indexes) = sqlite
        .store()
        .run_blocking(|db| Ok(sqlite_shape(db.conn)))
        .unwrap();
    let (pg_columns, pg_indexes) = postgres
        .store()
        .run_blocking(|db| Ok(postgres_shape(db.conn)))
        .unwrap();

    assert!(!sqlite_columns.is_empty(), "no tables found in SQLite");
    let only_sqlite: Vec<_> = sqlite_columns.difference(&pg_columns).collect();
    let only_pg: Vec<_> = pg_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty(),
        "columns only in SQLite (or differing): {only_sqlite:#?}"
    );
    assert!(
        only_pg.is_empty(),
        "columns only in PostgreSQL (or differing): {only_pg:#?}"
    );
    assert_eq!(
        sqlite_indexes, pg_indexes,
        "index names differ between the backends"
    );
}
