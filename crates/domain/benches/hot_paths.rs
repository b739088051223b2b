//! Micro-benchmarks of the domain's hot pure functions: the screening rule
//! and the k-anonymity check and release of a 50,000-row table.
//! Run with `cargo bench -p procap-domain`.

use criterion::{Criterion, criterion_group, criterion_main};
use procap_domain::case::vocab::{CodeSet, ExploitationType, Sex};
use procap_domain::screening::{
    AgeGroup, ExploitationForm, ScreeningInput, assess, indicator_list,
};
use procap_domain::stats::hierarchy::{Age, QuasiIdentifiers};
use procap_domain::stats::kanon::{KAnonymityRule, anonymise, is_k_anonymous};
use std::hint::black_box;

const COUNTRIES: [&str; 12] = [
    "NG", "UA", "AF", "RO", "BG", "PK", "SY", "AL", "MD", "PH", "CO", "GR",
];
const FORMS: [&str; 4] = [
    "sexual_exploitation",
    "forced_labour",
    "forced_begging",
    "forced_labour;sexual_exploitation",
];

/// A fixed pseudo-random table (a linear congruential sequence, so the
/// benchmark needs no random crate and always sees the same rows).
fn table(rows: usize) -> Vec<QuasiIdentifiers> {
    let mut state: u64 = 2026;
    let mut next = move |modulo: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulo
    };
    (0..rows)
        .map(|_| QuasiIdentifiers {
            sex: if next(3) == 0 { Sex::Male } else { Sex::Female },
            age: Age::Years(12 + next(45) as u32),
            citizenship: Some(COUNTRIES[next(COUNTRIES.len() as u64) as usize].to_owned()),
            exploitation: CodeSet::<ExploitationType>::parse_list(
                FORMS[next(FORMS.len() as u64) as usize],
            )
            .unwrap_or_default(),
            year: 2019 + next(7) as i32,
        })
        .collect()
}

fn screening(c: &mut Criterion) {
    let list = indicator_list(AgeGroup::Adult, ExploitationForm::Labour);
    let ids: Vec<String> = list
        .indicators()
        .iter()
        .step_by(3)
        .map(|indicator| indicator.id.clone())
        .collect();
    c.bench_function(
        "screening rule (adult labour, a third of indicators)",
        |b| {
            b.iter(|| {
                let input = ScreeningInput::parse(AgeGroup::Adult, ExploitationForm::Labour, &ids);
                input.map(|input| assess(black_box(&input)))
            })
        },
    );
}

fn kanon(c: &mut Criterion) {
    let rows = table(50_000);
    let mut group = c.benchmark_group("k-anonymity, 50,000 rows");
    group.sample_size(10);
    group.bench_function("is_k_anonymous (k = 11)", |b| {
        b.iter(|| is_k_anonymous(black_box(&rows), 11))
    });
    group.bench_function("anonymise (default rule)", |b| {
        b.iter(|| anonymise(black_box(&rows), &KAnonymityRule::default()))
    });
    group.finish();
}

criterion_group!(benches, screening, kanon);
criterion_main!(benches);
