//! tower-sessions store on Procap's own database, so sessions survive
//! restarts and work across several instances. Rows are keyed by the SHA-256
//! of the session id; the user id and client address are copied out of the
//! session data into columns so administrators can list and end sessions.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use procap_store::{Store, StoreError, sessions};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::{SESSION_CLIENT_IP, SESSION_USER_ID};

#[derive(Clone)]
pub struct DbSessionStore {
    store: Store,
    /// For each session this process loaded or wrote, the data and expiry
    /// stored in the database at that time. Every request loads its session
    /// first, so the entry is fresh when the request saves. A save that
    /// would only move the expiry, by less than the slack, is then skipped
    /// without a query (see `save`).
    seen: Arc<Mutex<HashMap<String, (String, chrono::NaiveDateTime)>>>,
}

/// Entries kept in [`DbSessionStore::seen`] before it is emptied.
const SEEN_LIMIT: usize = 10_000;

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        DbSessionStore {
            store,
            seen: Arc::default(),
        }
    }

    fn remember(&self, key: &str, data: &str, expires_at: chrono::NaiveDateTime) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= SEEN_LIMIT && !seen.contains_key(key) {
            seen.clear();
        }
        seen.insert(key.to_owned(), (data.to_owned(), expires_at));
    }

    /// Returns whether the database already contains `row`, except for an
    /// expiry that moved forward by less than the slack.
    fn unchanged(&self, row: &Row) -> bool {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.get(&row.id_hash).is_some_and(|(data, expires_at)| {
            let moved = row.expires_at - *expires_at;
            *data == row.data
                && moved >= chrono::Duration::zero()
                && moved < chrono::Duration::seconds(sessions::EXPIRY_SLACK_SECONDS)
        })
    }

    fn forget(&self, key: &str) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.remove(key);
    }
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

/// The stored key for a session id: a copy of the table gives no live sessions.
pub fn session_key(id: &Id) -> String {
    procap_crypto::hash_secret(&id.to_string())
}

struct Row {
    id_hash: String,
    user_id: Option<String>,
    client_ip: Option<String>,
    data: String,
    expires_at: chrono::NaiveDateTime,
}

fn to_row(record: &Record) -> session_store::Result<Row> {
    // The record contains a `HashMap`, whose iteration order differs between
    // maps. Sorted keys give equal text for equal data, so `save` can detect
    // an unchanged session and skip the write. Unsorted, nearly every request
    // rewrote its session.
    let sorted: BTreeMap<&String, &serde_json::Value> = record.data.iter().collect();
    let data = serde_json::to_string(&sorted)
        .map_err(|error| session_store::Error::Encode(error.to_string()))?;
    let field = |key: &str| {
        record
            .data
            .get(key)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
    };
    let expires_at = chrono::DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
        .ok_or_else(|| session_store::Error::Encode("session expiry out of range".into()))?
        .naive_utc();
    Ok(Row {
        id_hash: session_key(&record.id),
        user_id: field(SESSION_USER_ID),
        client_ip: field(SESSION_CLIENT_IP),
        data,
        expires_at,
    })
}

fn backend(error: StoreError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new random id collides with an existing one practically never;
        // if it does, draw another rather than overwrite someone's session.
        loop {
            let row = to_row(record)?;
            let (key, data, expires_at) = (row.id_hash.clone(), row.data.clone(), row.expires_at);
            let result = self
                .store
                .run(move |db| {
                    sessions::create(
                        db,
                        &sessions::SessionWrite {
                            id_hash: &row.id_hash,
                            user_id: row.user_id.as_deref(),
                            data: &row.data,
                            expires_at: row.expires_at,
                            client_ip: row.client_ip.as_deref(),
                        },
                    )
                })
                .await;
            match result {
                Ok(()) => {
                    self.remember(&key, &data, expires_at);
                    return Ok(());
                }
                Err(StoreError::Conflict(_)) => record.id = Id::default(),
                Err(error) => return Err(backend(error)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = to_row(record)?;
        // The user id is part of the data, so equal data means equal rows.
        if self.unchanged(&row) {
            return Ok(());
        }
        let (key, data, expires_at) = (row.id_hash.clone(), row.data.clone(), row.expires_at);
        let written = self
            .store
            .run(move |db| {
                sessions::save(
                    db,
                    &sessions::SessionWrite {
                        id_hash: &row.id_hash,
                        user_id: row.user_id.as_deref(),
                        data: &row.data,
                        expires_at: row.expires_at,
                        client_ip: row.client_ip.as_deref(),
                    },
                )
            })
            .await
            .map_err(backend)?;
        if written {
            self.remember(&key, &data, expires_at);
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = session_key(id);
        let loaded = self
            .store
            .run(move |db| {
                let now = procap_store::now();
                sessions::load(db, &key, now)
            })
            .await
            .map_err(backend)?;
        let Some((data, expiry)) = loaded else {
            self.forget(&session_key(id));
            return Ok(None);
        };
        self.remember(&session_key(id), &data, expiry);
        let data = serde_json::from_str(&data)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expiry.and_utc().timestamp())
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let key = session_key(id);
        self.forget(&key);
        self.store
            .run(move |db| sessions::delete(db, &key))
            .await
            .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tower_sessions::session::{Id, Record};

    use super::to_row;

    fn record(keys: impl Iterator<Item = usize>) -> Record {
        let data: HashMap<String, serde_json::Value> = keys
            .map(|n| (format!("key{n:02}"), serde_json::Value::from(n)))
            .collect();
        Record {
            id: Id(7),
            data,
            expiry_date: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    /// Equal data must give equal text whatever the order in which the
    /// keys went in, or every request would rewrite its session.
    #[test]
    fn equal_data_gives_equal_text() {
        let forward = to_row(&record(0..20)).unwrap();
        let backward = to_row(&record((0..20).rev())).unwrap();
        assert_eq!(forward.data, backward.data);
        let keys: Vec<&str> = forward
            .data
            .split('"')
            .filter(|part| part.starts_with("key"))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys.len(), 20);
        assert_eq!(keys, sorted);
    }
}
