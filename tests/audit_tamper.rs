//! `procap audit verify` against an audit log tampered with directly in the
//! database, on SQLite and PostgreSQL: a changed row, a deleted row,
//! two rows swapped, a row re-hashed without the key and a forged row
//! appended are each named by their sequence number, and the chain
//! verifies again once the tampering is undone. The last case shows the
//! documented limit: rows cut from the end leave a shorter chain that
//! still verifies, with a lower last sequence number.
//!
//! The rows are written by the real binary (`procap user add`), with the
//! key file in the data folder; the tampering uses plain SQL with the
//! append-only triggers dropped, as an attacker with database access would.

mod common;

use std::process::Output;

use common::{binary, common_args, each_backend};
use diesel::connection::SimpleConnection;
use procap_store::DbConnection;
use procap_store::testing::TestDatabase;

struct Chain {
    data_dir: tempfile::TempDir,
    database: TestDatabase,
}

impl Chain {
    /// Creates a data folder and database with `users` accounts added
    /// through the command line: one `organisation.create` row and one row
    /// per user.
    fn with_users(database: TestDatabase, users: usize) -> Chain {
        let chain = Chain {
            data_dir: tempfile::tempdir().unwrap(),
            database,
        };
        for index in 0..users {
            let username = format!("tamper-{index}");
            let output = chain.cli(&["user", "add", username.as_str(), "--role", "caseworker"]);
            assert!(
                output.status.success(),
                "{}: user add failed: {}",
                chain.backend(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        chain
    }

    fn backend(&self) -> &'static str {
        self.database.backend().as_str()
    }

    fn cli(&self, args: &[&str]) -> Output {
        std::process::Command::new(binary())
            .args(args)
            .args(common_args(self.data_dir.path(), &self.database))
            .output()
            .unwrap()
    }

    /// Runs `procap audit verify`: whether it passed, and what it printed.
    fn verify(&self) -> (bool, String) {
        let output = self.cli(&["audit", "verify"]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }

    fn assert_intact(&self, rows: i64, when: &str) {
        let (ok, text) = self.verify();
        assert!(ok, "{}: {when}: verify failed: {text}", self.backend());
        assert!(
            text.contains(&format!("{rows} rows, last seq {rows}")),
            "{}: {when}: {text}",
            self.backend()
        );
    }

    /// Asserts that verify fails and names `seq` at `position` as the
    /// first broken row, with `reason` in the message.
    fn assert_broken_at(&self, seq: i64, position: i64, reason: &str, when: &str) {
        let (ok, text) = self.verify();
        assert!(
            !ok,
            "{}: {when}: tampering not detected: {text}",
            self.backend()
        );
        assert!(
            text.contains(&format!("row seq {seq} (position {position})")),
            "{}: {when}: wrong row named: {text}",
            self.backend()
        );
        assert!(text.contains(reason), "{}: {when}: {text}", self.backend());
    }

    /// Runs `sql` with the append-only triggers out of the way.
    fn tamper(&self, sql: &str) {
        let sql = sql.to_owned();
        self.database
            .store()
            .run_blocking(move |db| {
                let drop_triggers = match db.conn {
                    DbConnection::Sqlite(_) => {
                        "DROP TRIGGER IF EXISTS audit_log_no_update; \
                         DROP TRIGGER IF EXISTS audit_log_no_delete;"
                    }
                    DbConnection::Postgresql(_) => {
                        "DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;"
                    }
                };
                db.conn.batch_execute(drop_triggers)?;
                db.conn.batch_execute(&sql)?;
                Ok(())
            })
            .unwrap();
    }
}

const ROWS: i64 = 9;

#[test]
fn verify_names_first_tampered_row() {
    each_backend(|database| {
        // One organisation row and eight user rows.
        let chain = Chain::with_users(database, 8);
        chain.assert_intact(ROWS, "untouched");
        chain.tamper("CREATE TABLE audit_copy AS SELECT * FROM audit_log");
        let undo = "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_copy;";

        // An altered row: its content no longer matches its MAC.
        chain.tamper("UPDATE audit_log SET action = 'user.disable' WHERE seq = 4");
        chain.assert_broken_at(4, 4, "content does not match its hash", "altered action");
        chain.tamper(undo);
        chain.assert_intact(ROWS, "after undoing the change");

        // A changed time stamp is an alteration too.
        chain.tamper("UPDATE audit_log SET occurred_at = '2020-01-31 09:00:00' WHERE seq = 7");
        chain.assert_broken_at(7, 7, "content does not match its hash", "altered time");
        chain.tamper(undo);

        // A deleted row: the next row is out of sequence.
        chain.tamper("DELETE FROM audit_log WHERE seq = 5");
        chain.assert_broken_at(6, 5, "expected seq 5", "deleted row");
        chain.tamper(undo);
        chain.assert_intact(ROWS, "after restoring the deleted row");

        // A deleted row with the later sequence numbers closed up: the
        // sequence is whole but the next row does not chain.
        chain.tamper(
            "DELETE FROM audit_log WHERE seq = 3; UPDATE audit_log SET seq = seq - 1 WHERE seq > 3;",
        );
        chain.assert_broken_at(3, 3, "does not chain onto the previous row", "closed gap");
        chain.tamper(undo);

        // Two rows swapped: the first moved row is named.
        chain.tamper(
            "UPDATE audit_log SET seq = 1000 WHERE seq = 2; \
             UPDATE audit_log SET seq = 2 WHERE seq = 6; \
             UPDATE audit_log SET seq = 6 WHERE seq = 1000;",
        );
        chain.assert_broken_at(2, 2, "does not chain onto the previous row", "swapped rows");
        chain.tamper(undo);
        chain.assert_intact(ROWS, "after undoing the swap");

        // A row re-hashed by someone without the key: changing the hash
        // breaks the row itself.
        chain.tamper("UPDATE audit_log SET hash = '00' || substr(hash, 3) WHERE seq = 8");
        chain.assert_broken_at(8, 8, "content does not match its hash", "re-hashed row");
        chain.tamper(undo);

        // A forged row appended with a made-up hash.
        chain.tamper(
            "INSERT INTO audit_log (seq, occurred_at, actor_user_id, actor_username, client_ip, \
             action, object_type, object_id, outcome, details, prev_hash, hash) \
             SELECT seq + 1, occurred_at, actor_user_id, actor_username, client_ip, action, \
             object_type, object_id, outcome, details, hash, hash FROM audit_log WHERE seq = 9",
        );
        chain.assert_broken_at(10, 10, "content does not match its hash", "forged row");
        chain.tamper(undo);
        chain.assert_intact(ROWS, "after removing the forged row");

        // The limit: cutting rows from the end leaves a chain that
        // verifies, and only the last sequence number shows it.
        chain.tamper("DELETE FROM audit_log WHERE seq > 6");
        chain.assert_intact(6, "tail cut (documented limit)");
    });
}
