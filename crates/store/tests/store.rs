//! Store behaviour on every available backend: accounts and locking, the
//! audit chain under tampering, the jobs queue, sessions and API tokens.

use chrono::Duration;
use diesel::connection::SimpleConnection;
use procap_store::audit::{self, AuditEvent, BreakReason, Outcome};
use procap_store::testing::TestDatabase;
use procap_store::{
    Db, DbConnection, Store, StoreError, jobs, organisations, sessions, throttle, tokens, users,
};

fn new_user(db: &mut Db<'_>, username: &str) -> users::User {
    let organisation = match organisations::list(db).unwrap().into_iter().next() {
        Some(organisation) => organisation,
        None => organisations::create(db, "Οργάνωση Δοκιμής", "ngo", "TST").unwrap(),
    };
    users::create(
        db,
        &users::NewUser {
            organisation_id: &organisation.id,
            username,
            display_name: "Δοκιμαστικός Χρήστης",
            email: None,
            role: "caseworker",
            password_hash: "not-a-real-hash",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
}

fn each_store() -> Vec<(TestDatabase, Store)> {
    TestDatabase::each_backend()
        .into_iter()
        .map(|database| {
            let store = database.store();
            (database, store)
        })
        .collect()
}

#[test]
fn duplicate_username_is_a_conflict() {
    for (database, store) in each_store() {
        store
            .run_blocking(|db| {
                let first = new_user(db, "eleni");
                let duplicate = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &first.organisation_id,
                        username: "eleni",
                        display_name: "Άλλη Ελένη",
                        email: None,
                        role: "lawyer",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "en",
                    },
                );
                assert!(
                    matches!(duplicate, Err(StoreError::Conflict(_))),
                    "{:?}: duplicate username gave {duplicate:?}",
                    database.backend()
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn sixth_failure_locks_account() {
    for (database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "nikos");
                for attempt in 1..=5 {
                    assert!(
                        !users::record_login_failure(db, &user.id)?,
                        "locked after {attempt} failures"
                    );
                }
                assert!(
                    users::record_login_failure(db, &user.id)?,
                    "{:?}: not locked after 6",
                    database.backend()
                );
                let reloaded = users::get(db, &user.id)?;
                let now = procap_store::now();
                assert!(reloaded.is_locked(now));
                assert!(!reloaded.is_locked(now + Duration::minutes(31)));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn totp_secret_is_encrypted_and_bound_to_row() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let alice = new_user(db, "alice");
                let bob = new_user(db, "bob");
                users::set_pending_totp_secret(db, &alice.id, b"0123456789abcdefghij")?;
                let alice = users::get(db, &alice.id)?;
                let stored = alice.totp_secret.clone().unwrap();
                assert!(
                    !stored.windows(10).any(|window| window == b"0123456789"),
                    "secret stored in clear"
                );
                assert_eq!(
                    users::totp_secret(db, &alice)?.unwrap().as_slice(),
                    b"0123456789abcdefghij"
                );

                // The same ciphertext copied to another row must not decrypt.
                let mut bob = users::get(db, &bob.id)?;
                bob.totp_secret = Some(stored);
                assert!(users::totp_secret(db, &bob).is_err());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn totp_step_cannot_be_replayed() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "replay");
                assert!(users::accept_totp_step(db, &user.id, 100)?);
                assert!(!users::accept_totp_step(db, &user.id, 100)?);
                assert!(!users::accept_totp_step(db, &user.id, 99)?);
                assert!(users::accept_totp_step(db, &user.id, 101)?);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn recovery_code_works_once() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "recover");
                users::replace_recovery_codes(db, &user.id, &["h1".into(), "h2".into()])?;
                assert!(users::consume_recovery_code(db, &user.id, "h1")?);
                assert!(!users::consume_recovery_code(db, &user.id, "h1")?);
                assert!(!users::consume_recovery_code(db, &user.id, "nope")?);
                assert_eq!(users::unused_recovery_codes(db, &user.id)?, 1);
                Ok(())
            })
            .unwrap();
    }
}

fn append_events(store: &Store, count: usize) {
    store
        .run_blocking(|db| {
            for index in 0..count {
                let event = AuditEvent::new("test.event", Outcome::Success)
                    .object("thing", &format!("id-{index}"))
                    .details(serde_json::json!({ "index": index }));
                audit::append(db, &event)?;
            }
            Ok(())
        })
        .unwrap();
}

/// Tampering needs the append-only triggers out of the way first, as an
/// attacker with database access would do.
fn tamper(store: &Store, sql: &str) {
    store
        .run_blocking(|db| {
            let drop_triggers = match db.conn {
                DbConnection::Sqlite(_) => {
                    "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;"
                }
                DbConnection::Postgresql(_) => "DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;",
            };
            db.conn.batch_execute(drop_triggers)?;
            db.conn.batch_execute(sql)?;
            Ok(())
        })
        .unwrap();
}

fn verify(store: &Store) -> audit::VerifyReport {
    store.run_blocking(audit::verify).unwrap()
}

#[test]
fn untouched_audit_chain_verifies() {
    for (_database, store) in each_store() {
        append_events(&store, 12);
        let report = verify(&store);
        assert_eq!(report.rows, 12);
        assert_eq!(report.last_seq, Some(12));
        assert_eq!(report.first_break, None);
    }
}

#[test]
fn audit_list_filters_by_actor_organisation() {
    for (database, store) in each_store() {
        store
            .run_blocking(|db| {
                let home = new_user(db, "ntina");
                let other_organisation =
                    organisations::create(db, "Άλλη Οργάνωση Δοκιμής", "ngo", "ALL")?;
                let outsider = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &other_organisation.id,
                        username: "stavros",
                        display_name: "Σταύρος Δοκιμής",
                        email: None,
                        role: "trainer",
                        password_hash: "not-a-real-hash",
                        must_change_password: false,
                        locale: "el",
                    },
                )?;
                for user in [&home, &outsider] {
                    let event = AuditEvent::new("auth.login", Outcome::Success)
                        .actor(&user.id, &user.username);
                    audit::append(db, &event)?;
                }
                audit::append(db, &AuditEvent::new("auth.login", Outcome::Failure))?;

                let everyone = audit::AuditFilter::default();
                assert_eq!(
                    audit::list(db, &everyone, 0, 50)?.1,
                    3,
                    "{:?}",
                    database.backend()
                );

                let filter = audit::AuditFilter {
                    organisation_id: Some(home.organisation_id.clone()),
                    ..Default::default()
                };
                let (rows, total) = audit::list(db, &filter, 0, 50)?;
                assert_eq!(
                    total,
                    1,
                    "{:?}: rows of other organisations listed",
                    database.backend()
                );
                assert_eq!(rows[0].actor_user_id.as_deref(), Some(home.id.as_str()));

                let filter = audit::AuditFilter {
                    organisation_id: Some(other_organisation.id.clone()),
                    actor_user_id: Some(home.id.clone()),
                    ..Default::default()
                };
                assert_eq!(audit::list(db, &filter, 0, 50)?.1, 0);

                let names: Vec<String> = audit::filter_users(db, Some(&home.organisation_id))?
                    .into_iter()
                    .map(|(_, username)| username)
                    .collect();
                assert_eq!(names, ["ntina"]);
                assert_eq!(audit::filter_users(db, None)?.len(), 2);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn audit_log_rejects_update_and_delete() {
    for (database, store) in each_store() {
        append_events(&store, 2);
        let update =
            store.run_blocking(|db| Ok(db.conn.batch_execute("UPDATE audit_log SET action = 'x'")));
        assert!(
            update.unwrap().is_err(),
            "{:?}: UPDATE on audit_log accepted",
            database.backend()
        );
        let delete = store.run_blocking(|db| Ok(db.conn.batch_execute("DELETE FROM audit_log")));
        assert!(
            delete.unwrap().is_err(),
            "{:?}: DELETE on audit_log accepted",
            database.backend()
        );
    }
}

#[test]
fn altered_audit_row_is_named() {
    for (_database, store) in each_store() {
        append_events(&store, 10);
        tamper(
            &store,
            "UPDATE audit_log SET details = '{\"index\":99}' WHERE seq = 4",
        );
        let broken = verify(&store).first_break.expect("alteration detected");
        assert_eq!(broken.seq, 4);
        assert_eq!(broken.reason, BreakReason::HashMismatch);
    }
}

#[test]
fn deleted_audit_row_is_named() {
    for (_database, store) in each_store() {
        append_events(&store, 10);
        tamper(&store, "DELETE FROM audit_log WHERE seq = 6");
        let broken = verify(&store).first_break.expect("deletion detected");
        assert_eq!(broken.seq, 7);
        assert_eq!(broken.reason, BreakReason::SequenceGap { expected: 6 });
    }
}

#[test]
fn reordered_audit_rows_are_named() {
    for (_database, store) in each_store() {
        append_events(&store, 10);
        tamper(
            &store,
            "UPDATE audit_log SET seq = 1000 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 5; \
             UPDATE audit_log SET seq = 5 WHERE seq = 1000;",
        );
        let broken = verify(&store).first_break.expect("reordering detected");
        assert_eq!(broken.seq, 3);
        assert_eq!(broken.position, 3);
    }
}

#[test]
fn rehashed_audit_row_without_key_is_named() {
    for (_database, store) in each_store() {
        append_events(&store, 5);
        // A plain SHA-256 over the row is not the chain MAC: forging needs the key.
        tamper(
            &store,
            "UPDATE audit_log SET hash = '00' || substr(hash, 3) WHERE seq = 2",
        );
        let broken = verify(&store).first_break.expect("forged hash detected");
        assert_eq!(broken.seq, 2);
    }
}

#[test]
fn job_is_claimed_by_one_worker_only() {
    for (database, store) in each_store() {
        store
            .run_blocking(|db| {
                jobs::enqueue(
                    db,
                    "test.once",
                    &serde_json::json!({}),
                    procap_store::now(),
                    3,
                )?;
                Ok(())
            })
            .unwrap();
        let claims: Vec<Option<jobs::Job>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|worker| {
                    let store = store.clone();
                    scope.spawn(move || {
                        store.run_blocking(|db| {
                            jobs::claim_next(db, &format!("worker-{worker}"), procap_store::now())
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap().unwrap())
                .collect()
        });
        let claimed = claims.iter().filter(|claim| claim.is_some()).count();
        assert_eq!(
            claimed,
            1,
            "{:?}: job claimed {claimed} times",
            database.backend()
        );
    }
}

#[test]
fn failed_job_retries_then_fails() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let now = procap_store::now();
                let job = jobs::enqueue(db, "test.retry", &serde_json::json!({}), now, 2)?;
                let first = jobs::claim_next(db, "w", now)?.unwrap();
                jobs::fail(db, &first, "w", "boom", now)?;
                assert_eq!(jobs::get(db, &job.id)?.status, jobs::STATUS_QUEUED);
                let second = jobs::claim_next(db, "w", now + Duration::seconds(1))?.unwrap();
                assert_eq!(second.attempts, 2);
                jobs::fail(db, &second, "w", "boom", now)?;
                assert_eq!(jobs::get(db, &job.id)?.status, jobs::STATUS_FAILED);
                assert!(jobs::claim_next(db, "w", now + Duration::seconds(2))?.is_none());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn abandoned_job_is_claimed_after_lease() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let now = procap_store::now();
                jobs::enqueue(db, "test.lease", &serde_json::json!({}), now, 3)?;
                assert!(jobs::claim_next(db, "dead", now)?.is_some());
                assert!(jobs::claim_next(db, "alive", now + Duration::minutes(1))?.is_none());
                let again = jobs::claim_next(
                    db,
                    "alive",
                    now + Duration::minutes(jobs::LEASE_MINUTES + 1),
                )?;
                assert_eq!(again.unwrap().locked_by.as_deref(), Some("alive"));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn expired_session_is_not_loaded() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "sess");
                let now = procap_store::now();
                let write = sessions::SessionWrite {
                    id_hash: "abc",
                    user_id: Some(&user.id),
                    data: "{}",
                    expires_at: now + Duration::minutes(30),
                    client_ip: Some("127.0.0.1"),
                };
                sessions::save(db, &write)?;
                sessions::save(
                    db,
                    &sessions::SessionWrite {
                        data: "{\"a\":1}",
                        ..write
                    },
                )?;
                assert_eq!(
                    sessions::load(db, "abc", now)?
                        .map(|(data, _)| data)
                        .as_deref(),
                    Some("{\"a\":1}")
                );
                assert_eq!(sessions::list_active(db, now)?.len(), 1);
                assert_eq!(
                    sessions::load(db, "abc", now + Duration::minutes(31))?,
                    None
                );
                assert_eq!(sessions::delete_for_user(db, &user.id)?, 1);
                assert_eq!(sessions::load(db, "abc", now)?, None);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn session_save_skips_small_expiry_moves() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "slide");
                let now = procap_store::now();
                let expires = now + Duration::minutes(30);
                let write = sessions::SessionWrite {
                    id_hash: "slide",
                    user_id: Some(&user.id),
                    data: "{}",
                    expires_at: expires,
                    client_ip: None,
                };
                sessions::save(db, &write)?;
                let stored = |db: &mut procap_store::Db<'_>| {
                    sessions::load(db, "slide", now).map(|row| row.unwrap().1)
                };
                let slack = Duration::seconds(sessions::EXPIRY_SLACK_SECONDS);

                // A move within the slack is not written.
                let small = sessions::SessionWrite {
                    expires_at: expires + slack - Duration::seconds(1),
                    ..write
                };
                sessions::save(db, &small)?;
                assert_eq!(stored(db)?, expires);

                // A move of the full slack is.
                let large = sessions::SessionWrite {
                    expires_at: expires + slack,
                    ..write
                };
                sessions::save(db, &large)?;
                assert_eq!(stored(db)?, expires + slack);

                // Changed data is always written, however small the move.
                sessions::save(
                    db,
                    &sessions::SessionWrite {
                        data: "{\"b\":2}",
                        expires_at: expires + slack,
                        ..write
                    },
                )?;
                assert_eq!(
                    sessions::load(db, "slide", now)?.map(|(data, _)| data),
                    Some("{\"b\":2}".to_owned())
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn token_authenticates_until_revoked_or_expired() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "tokenuser");
                let now = procap_store::now();
                let token =
                    tokens::create(db, &user.id, "script", "hash-1", now + Duration::days(1))?;
                assert_eq!(
                    tokens::authenticate(db, "hash-1", now)?.map(|u| u.id),
                    Some(user.id.clone())
                );
                assert!(tokens::authenticate(db, "hash-1", now + Duration::days(2))?.is_none());
                assert!(tokens::authenticate(db, "hash-2", now)?.is_none());
                let other = new_user(db, "other");
                assert!(
                    tokens::revoke(db, &other.id, &token.id).is_err(),
                    "revoked another user's token"
                );
                tokens::revoke(db, &user.id, &token.id)?;
                assert!(tokens::authenticate(db, "hash-1", now)?.is_none());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn disabled_user_token_stops_working() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let user = new_user(db, "disabled");
                let now = procap_store::now();
                tokens::create(db, &user.id, "script", "hash-d", now + Duration::days(1))?;
                users::set_disabled(db, &user.id, true)?;
                assert!(tokens::authenticate(db, "hash-d", now)?.is_none());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn address_is_throttled_after_limit() {
    for (_database, store) in each_store() {
        store
            .run_blocking(|db| {
                let now = procap_store::now();
                for _ in 0..throttle::MAX_FAILURES_PER_ADDRESS - 1 {
                    throttle::record_failure(db, "192.0.2.7")?;
                }
                assert!(!throttle::is_throttled(
                    db,
                    "192.0.2.7",
                    now + Duration::seconds(1)
                )?);
                throttle::record_failure(db, "192.0.2.7")?;
                assert!(throttle::is_throttled(
                    db,
                    "192.0.2.7",
                    now + Duration::seconds(1)
                )?);
                assert!(!throttle::is_throttled(db, "192.0.2.8", now)?);
                assert!(!throttle::is_throttled(
                    db,
                    "192.0.2.7",
                    now + Duration::minutes(16)
                )?);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn concurrent_audit_events_keep_chain() {
    for (_database, store) in each_store() {
        append_events(&store, 3);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .build()
            .unwrap();
        let sequences = runtime.block_on(async {
            let mut tasks = Vec::new();
            for index in 0..64 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let event = AuditEvent::new("test.view", Outcome::Success)
                        .object("thing", &format!("view-{index}"));
                    store.audit(event).await
                }));
            }
            let mut sequences = Vec::new();
            for task in tasks {
                sequences.push(task.await.unwrap().unwrap());
            }
            sequences
        });
        // Each caller got its own row's number, and the numbers continue
        // the chain without a gap or a repeat.
        let mut sorted = sequences.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (4..=67).collect::<Vec<i64>>());
        let report = verify(&store);
        assert_eq!(report.rows, 67);
        assert_eq!(report.first_break, None);
        let objects: Vec<(i64, Option<String>)> = store
            .run_blocking(|db| {
                use diesel::prelude::*;
                use procap_store::schema::audit_log;
                Ok(audit_log::table
                    .select((audit_log::seq, audit_log::object_id))
                    .order(audit_log::seq)
                    .load(db.conn)?)
            })
            .unwrap();
        for (task, seq) in sequences.iter().enumerate() {
            let (_, object) = &objects[usize::try_from(*seq).unwrap() - 1];
            assert_eq!(object.as_deref(), Some(format!("view-{task}").as_str()));
        }
    }
}

/// Cuts off every connection to the test database but `admin`'s own.
fn cut_off_connections(admin: &mut DbConnection) {
    admin
        .batch_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .unwrap();
}

/// A PostgreSQL connection closed while in use fails one unit of work and is
/// then dropped. One closed while idle for two seconds fails none, because
/// the `SELECT 1` on checkout finds it. SQLite connections cannot be closed
/// this way.
#[test]
fn lost_postgres_connections_are_replaced() {
    let Some(database) = TestDatabase::postgres() else {
        return;
    };
    let store = database.store();
    let mut admin = procap_store::db::connect(&database.url).unwrap();
    let answer = |store: &Store| store.run_blocking(procap_store::db::ping);

    // In steady use: each pooled connection fails at most once.
    answer(&store).unwrap();
    cut_off_connections(&mut admin);
    let mut failures = 0;
    while let Err(error) = answer(&store) {
        assert!(error.is_connection_lost(), "unexpected error: {error}");
        failures += 1;
        assert!(failures <= 8, "the pool kept lending out lost connections");
    }
    for _ in 0..20 {
        answer(&store).unwrap();
    }

    // Idle for longer than two seconds: the check on the way out finds the
    // lost connection, and no unit of work fails.
    cut_off_connections(&mut admin);
    std::thread::sleep(std::time::Duration::from_millis(2_200));
    for _ in 0..20 {
        answer(&store).unwrap();
    }
}
