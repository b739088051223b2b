//! The long mixed run: many signed-in users at once for minutes. Half are
//! caseworkers (home page, their case list, their cases) and half trainees
//! (the course page, quiz attempts). It prints one line per interval with
//! the requests, errors, latency and the server's memory. A good run shows
//! no errors and flat memory after warm-up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::Mutex;

use crate::{Args, Step, get_text, links, login, memory, percentile, run_once};

/// Latencies and errors of one interval.
#[derive(Default)]
struct Interval {
    latencies_us: Vec<u64>,
    errors: u64,
}

/// One signed-in user and what they do, in turn.
struct User {
    client: reqwest::Client,
    step: Step,
}

async fn users(args: &Args, count: usize) -> anyhow::Result<Vec<User>> {
    let base = &args.base;
    let trainee = login(base, &args.trainee, &args.password).await?;
    let catalogue = get_text(&trainee, &format!("{base}/training/courses")).await?;
    let course = links(&catalogue, "/training/courses/")
        .into_iter()
        .next()
        .context("the trainee sees no course")?;
    let mut all = Vec::with_capacity(count);
    for index in 0..count {
        let number = index / 2;
        if index % 2 == 0 {
            let username = format!("caseworker-{:04}", number + 2);
            let client = login(base, &username, &args.password).await?;
            let list = get_text(&client, &format!("{base}/cases")).await?;
            let mut paths = vec!["/".to_owned(), "/cases".to_owned()];
            paths.extend(links(&list, "/cases/").into_iter().take(8));
            all.push(User {
                client,
                step: Step::Get(paths),
            });
        } else {
            let username = format!("trainee-{:05}", number + 1);
            let client = login(base, &username, &args.password).await?;
            let step = match (&args.quiz, number % 2) {
                (Some(quiz), 0) => Step::Quiz(quiz.clone()),
                _ => Step::Get(vec![course.clone(), "/training/courses".to_owned()]),
            };
            all.push(User { client, step });
        }
    }
    Ok(all)
}

/// Runs the mixed load for `total`, reporting every `every`.
pub async fn run(args: &Args, total: Duration, every: Duration) -> anyhow::Result<()> {
    let count = args.concurrency;
    println!("signing in {count} users…");
    let users = users(args, count).await?;
    let current = Arc::new(Mutex::new(Interval::default()));
    let started = Instant::now();
    let deadline = started + total;
    let mut tasks = Vec::with_capacity(count);
    for (index, user) in users.into_iter().enumerate() {
        let base = args.base.clone();
        let current = Arc::clone(&current);
        tasks.push(tokio::spawn(async move {
            let mut turn = index;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let (ok, _) = run_once(&user.client, &base, &user.step, turn).await;
                let took = sent.elapsed().as_micros() as u64;
                let mut interval = current.lock().await;
                interval.latencies_us.push(took);
                if !ok {
                    interval.errors += 1;
                }
                turn += 1;
            }
        }));
    }

    println!(
        "\n{} — {count} users (half caseworkers, half trainees), {} s, a line every {} s\n",
        args.label,
        total.as_secs(),
        every.as_secs()
    );
    println!("| minute | requests | req/s | errors | p50 ms | p99 ms | RSS MiB | peak RSS MiB |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut all_errors = 0;
    let mut all_requests = 0;
    let mut next = started + every;
    while next <= deadline + Duration::from_millis(500) {
        tokio::time::sleep_until(next.into()).await;
        let mut interval = std::mem::take(&mut *current.lock().await);
        interval.latencies_us.sort_unstable();
        let requests = interval.latencies_us.len();
        all_errors += interval.errors;
        all_requests += requests;
        let (rss, peak) = memory(args.pid);
        println!(
            "| {:.1} | {} | {:.0} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            started.elapsed().as_secs_f64() / 60.0,
            requests,
            requests as f64 / every.as_secs_f64(),
            interval.errors,
            percentile(&interval.latencies_us, 0.50),
            percentile(&interval.latencies_us, 0.99),
            rss,
            peak,
        );
        next += every;
    }
    for task in tasks {
        task.await?;
    }
    println!("\ntotal: {all_requests} requests, {all_errors} errors");
    Ok(())
}
