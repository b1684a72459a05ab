//! How fast suggestions recompute on a busy network: 5,000 contacts and 250,000 interactions
//! (the `busy` sample size). Targets: the whole network in 200 ms or less, and one contact after
//! a new interaction in 1 ms or less. Generating the network is not measured.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kith_core::suggest::{self, SuggestIndex, SuggestSettings};
use kith_core::{synth, Channel, Direction, Interaction};
use std::hint::black_box;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn bench(c: &mut Criterion) {
    let net = synth::network(5_000, 250_000, 50, 2026, now());
    let settings = SuggestSettings::default();

    let mut group = c.benchmark_group("busy network (5,000 contacts, 250,000 interactions)");
    group.sample_size(20);
    group.bench_function("whole network: index and suggest", |b| {
        b.iter(|| {
            suggest::suggest(
                black_box(&net.contacts),
                black_box(&net.interactions),
                black_box(&net.events),
                now(),
                &settings,
            )
        })
    });
    group.bench_function("build the index only", |b| {
        b.iter(|| SuggestIndex::new(&net.contacts, &net.interactions, &net.events))
    });
    let index = SuggestIndex::new(&net.contacts, &net.interactions, &net.events);
    group.bench_function("whole network from a kept index", |b| {
        b.iter(|| index.suggest(now(), &settings))
    });
    group.finish();

    // The busiest contact is the worst case for one-contact recomputes.
    let mut counts = std::collections::HashMap::<&str, usize>::new();
    for i in &net.interactions {
        *counts.entry(i.contact_ids[0].as_str()).or_default() += 1;
    }
    let (busiest, n) = counts
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
        .map(|(id, n)| (id.to_string(), *n))
        .unwrap();
    let new = Interaction {
        id: "bench-new".into(),
        contact_ids: vec![busiest.clone()],
        channel: Channel::Mastodon,
        direction: Direction::Inbound,
        occurred_at: now() - Duration::minutes(5),
        public: true,
        text: "Just saw your post about the Koha upgrade: how did the serials go?".into(),
        thread: None,
        tags: vec![],
        moment: None,
    };
    let mut index = SuggestIndex::new(&net.contacts, &net.interactions, &net.events);
    index.insert(&new);
    let mut group = c.benchmark_group(format!("one contact ({n} interactions)"));
    group.bench_function("recompute after a new interaction", |b| {
        b.iter(|| index.for_contact(black_box(&busiest), now(), &settings))
    });
    let median = {
        let mut v: Vec<usize> = counts.values().copied().collect();
        v.sort_unstable();
        v[v.len() / 2]
    };
    let typical = counts
        .iter()
        .filter(|(_, n)| **n == median)
        .map(|(id, _)| id.to_string())
        .min()
        .unwrap();
    group.bench_function(
        format!("recompute a typical contact ({median} interactions)"),
        |b| b.iter(|| index.for_contact(black_box(&typical), now(), &settings)),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
