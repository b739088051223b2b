//! Micro-benchmarks of field encryption, decryption and blind indexes:
//! the work done per encrypted column when a case is saved or shown.
//! Run with `cargo bench -p procap-crypto`.

use criterion::{Criterion, criterion_group, criterion_main};
use procap_crypto::{FieldContext, Keyring};
use std::hint::black_box;

fn fields(c: &mut Criterion) {
    let keys = Keyring::for_tests(7);
    let context = FieldContext {
        table: "persons",
        column: "given_name_enc",
        row_id: "0b7c6a1e-1111-4222-8333-944455556666",
    };
    let name = "Αμάρα Δοκιμαστική";
    let notes = "Σημείωση συνεδρίας με κείμενο μερικών προτάσεων. ".repeat(20);
    let sealed_name = keys.encrypt_str(&context, name);
    let sealed_notes = keys.encrypt_str(&context, &notes);

    c.bench_function("encrypt a name (32 bytes)", |b| {
        b.iter(|| keys.encrypt_str(black_box(&context), black_box(name)))
    });
    c.bench_function("decrypt a name", |b| {
        b.iter(|| keys.decrypt_string(black_box(&context), black_box(&sealed_name)))
    });
    c.bench_function("encrypt notes (1 KiB)", |b| {
        b.iter(|| keys.encrypt_str(black_box(&context), black_box(&notes)))
    });
    c.bench_function("decrypt notes (1 KiB)", |b| {
        b.iter(|| keys.decrypt_string(black_box(&context), black_box(&sealed_notes)))
    });
    c.bench_function("blind index of a full name", |b| {
        b.iter(|| keys.blind_index(black_box("person.name"), black_box(name)))
    });
}

criterion_group!(benches, fields);
criterion_main!(benches);
