//! How fast a briefing for a big conference is built and rendered: 300 attendees on a busy
//! network (5,000 contacts, 250,000 interactions, the `busy` sample size). Target: building
//! the briefing from loaded records and rendering it as HTML in 100 ms or less. Generating the
//! network is not measured; loading it from SQLite and the PDF are measured separately.

use chrono::{DateTime, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kith_core::brief::{self, BriefInput};
use kith_core::suggest::SuggestSettings;
use kith_core::{synth, Event, EventKind};
use std::hint::black_box;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut net = synth::network(5_000, 250_000, 50, 2026, now());
    // Every 16th contact goes: 300 people spread over close contacts and the long tail.
    let attendees: Vec<String> = net
        .contacts
        .iter()
        .step_by(16)
        .take(300)
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(attendees.len(), 300);
    net.events.push(Event {
        id: "bench-conference".into(),
        name: "Benchmark Conference 2026".into(),
        kind: EventKind::Conference,
        starts_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        ends_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        location: "Wellington, New Zealand".into(),
        hashtags: vec!["#auslibchat".into(), "#benchconf26".into()],
        notes: String::new(),
        attendee_ids: attendees,
    });
    let settings = SuggestSettings::default();
    let input = BriefInput {
        contacts: &net.contacts,
        interactions: &net.interactions,
        events: &net.events,
        settings: &settings,
        states: &[],
    };

    let mut group = c.benchmark_group("briefing, 300 attendees of 5,000 contacts");
    group.sample_size(20);
    group.bench_function("build and render HTML", |b| {
        b.iter(|| {
            let briefing =
                brief::build_briefing(black_box(&input), "bench-conference", now()).unwrap();
            brief::html::render(&briefing)
        })
    });
    let briefing = brief::build_briefing(&input, "bench-conference", now()).unwrap();
    group.bench_function("build only", |b| {
        b.iter(|| brief::build_briefing(black_box(&input), "bench-conference", now()).unwrap())
    });
    group.bench_function("render Markdown", |b| {
        b.iter(|| brief::markdown::render(black_box(&briefing)))
    });
    group.bench_function("render HTML", |b| {
        b.iter(|| brief::html::render(black_box(&briefing)))
    });
    if let Ok(fonts) = brief::pdf::PdfFonts::system() {
        group.bench_function("render PDF", |b| {
            b.iter(|| brief::pdf::render_with(black_box(&briefing), &mut fonts.clone()).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
