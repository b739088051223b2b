//! Procap's load generator: logs in as the demo accounts of a running
//! server, then drives each benchmark scenario with concurrent clients for
//! a fixed time and prints one markdown table row per scenario.
//!
//! Scenarios: `/healthz` (the baseline), the filtered and paginated case
//! list, a case page, the caseworker home page, the trainee course page and
//! a quiz submission (start an attempt, submit it). Each reports requests
//! per second, p50/p95/p99 latency, errors, the mean response size, the
//! server's resident memory after the scenario and its peak so far (from
//! `/proc/PID/status`), and its throughput as a share of `/healthz`.
//!
//! With `--soak-seconds`, it runs the long mixed load of many users instead
//! (see `soak.rs`).
//!
//! Only for servers on this machine: it refuses any address but 127.0.0.1,
//! ::1 or localhost.

mod soak;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::redirect::Policy;

#[derive(Debug, Parser)]
#[command(about = "Load generator of Procap's benchmark harness")]
struct Args {
    /// Base address of the server, e.g. http://127.0.0.1:8088
    #[arg(long)]
    base: String,
    /// Password of the demo accounts (`procap generate --password`)
    #[arg(long)]
    password: String,
    /// Process id of the server, for its memory use
    #[arg(long)]
    pid: Option<u32>,
    /// Concurrent clients
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds each scenario runs
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Seconds of warm-up before each scenario, not measured
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Label of the run (e.g. the backend) for the table
    #[arg(long, default_value = "")]
    label: String,
    /// Trainee account used for the course page and the quiz
    #[arg(long, default_value = "trainee-00001")]
    trainee: String,
    /// Path of a quiz without an attempt limit for the quiz scenario, as
    /// `procap generate` prints it (/training/quizzes/ID); the scenario is
    /// skipped without it
    #[arg(long)]
    quiz: Option<String>,
    /// Year of the AMIF report scenario (1 January to 31 December)
    #[arg(long, default_value_t = 2025)]
    amif_year: i32,
    /// Instead of the scenarios, run the mixed load of `--concurrency` users
    /// (half caseworkers, half trainees) for this many seconds
    #[arg(long)]
    soak_seconds: Option<u64>,
    /// Seconds between the lines of the mixed run's table
    #[arg(long, default_value_t = 60)]
    report_seconds: u64,
    /// Only these scenarios (comma-separated names); all when omitted
    #[arg(long)]
    only: Option<String>,
}

/// What one request of a scenario does.
#[derive(Clone)]
enum Step {
    Get(Vec<String>),
    /// POST to start an attempt of the quiz at this path, then submit it.
    Quiz(String),
}

struct Scenario {
    name: &'static str,
    /// Client `i` serves task `i` modulo their number: one signed-in
    /// session for most scenarios, one per client where the server allows
    /// a user only one thing at a time (an open quiz attempt).
    clients: Vec<reqwest::Client>,
    step: Step,
    /// Concurrent clients when not `--concurrency`.
    concurrency: Option<usize>,
}

#[derive(Default)]
struct Outcome {
    latencies_us: Vec<u64>,
    errors: u64,
    bytes: u64,
    elapsed: Duration,
}

fn client(base: &str) -> anyhow::Result<reqwest::Client> {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(base)?);
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(headers)
        .pool_max_idle_per_host(256)
        .build()?)
}

async fn login(base: &str, username: &str, password: &str) -> anyhow::Result<reqwest::Client> {
    let client = client(base)?;
    let response = client
        .post(format!("{base}/login"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await?;
    if !response.status().is_redirection() {
        bail!(
            "login as {username} failed with status {}",
            response.status()
        );
    }
    Ok(client)
}

/// Every distinct `prefix<id>` link target in `html`, ids of UUID characters.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let needle = format!("href=\"{prefix}");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&needle) {
        let after = &rest[start + needle.len()..];
        let id: String = after
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        if id.len() >= 32 {
            let link = format!("{prefix}{id}");
            if !found.contains(&link) {
                found.push(link);
            }
        }
        rest = after;
    }
    found
}

async fn get_text(client: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    let response = client.get(url).send().await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("GET {url}: status {status}");
    }
    Ok(text)
}

async fn run_once(client: &reqwest::Client, base: &str, step: &Step, turn: usize) -> (bool, u64) {
    match step {
        Step::Get(paths) => {
            let path = &paths[turn % paths.len()];
            match client.get(format!("{base}{path}")).send().await {
                Ok(response) => {
                    let ok = response.status().is_success();
                    match response.bytes().await {
                        Ok(body) => (ok, body.len() as u64),
                        Err(_) => (false, 0),
                    }
                }
                Err(_) => (false, 0),
            }
        }
        Step::Quiz(path) => {
            let started = client
                .post(format!("{base}{path}"))
                .form(&[("start", "1")])
                .send()
                .await;
            let Ok(started) = started else {
                return (false, 0);
            };
            let Some(location) = started
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .filter(|location| location.starts_with("/training/attempts/"))
                .map(str::to_owned)
            else {
                return (false, 0);
            };
            let submitted = client
                .post(format!("{base}{location}"))
                .form(&[("submit", "1")])
                .send()
                .await;
            match submitted {
                Ok(response) => {
                    let ok = response.status().is_redirection();
                    let size = response.bytes().await.map(|b| b.len() as u64).unwrap_or(0);
                    (ok, size)
                }
                Err(_) => (false, 0),
            }
        }
    }
}

async fn drive(base: &str, scenario: &Scenario, concurrency: usize, run_for: Duration) -> Outcome {
    let base = Arc::new(base.to_owned());
    let step = Arc::new(scenario.step.clone());
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + run_for;
    let mut tasks = Vec::with_capacity(concurrency);
    for task in 0..concurrency {
        let client = scenario.clients[task % scenario.clients.len()].clone();
        let base = Arc::clone(&base);
        let step = Arc::clone(&step);
        let counter = Arc::clone(&counter);
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            while Instant::now() < deadline {
                let turn = counter.fetch_add(1, Ordering::Relaxed) as usize;
                let sent = Instant::now();
                let (ok, size) = run_once(&client, &base, &step, turn).await;
                outcome.latencies_us.push(sent.elapsed().as_micros() as u64);
                outcome.bytes += size;
                if !ok {
                    outcome.errors += 1;
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        if let Ok(outcome) = task.await {
            total.latencies_us.extend(outcome.latencies_us);
            total.errors += outcome.errors;
            total.bytes += outcome.bytes;
        }
    }
    total.elapsed = started.elapsed();
    total
}

fn percentile(sorted: &[u64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64) * fraction).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

/// `(VmRSS, VmHWM)` of a process in MiB.
fn memory(pid: Option<u32>) -> (f64, f64) {
    let Some(pid) = pid else {
        return (0.0, 0.0);
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn scenarios(args: &Args) -> anyhow::Result<Vec<Scenario>> {
    let base = &args.base;
    let anonymous = client(base)?;
    let coordinator = login(base, "coordinator", &args.password).await?;
    let caseworker = login(base, "caseworker", &args.password).await?;
    let trainee = login(base, &args.trainee, &args.password).await?;

    // Filtered list pages spread over the whole list.
    let list_paths: Vec<String> = (1..=50)
        .map(|page| format!("/cases?status=open&region=attica&page={page}"))
        .collect();
    let mut case_paths = Vec::new();
    for page in [1, 5, 10, 20, 40] {
        let html = get_text(&coordinator, &format!("{base}/cases?page={page}")).await?;
        for link in links(&html, "/cases/") {
            if !case_paths.contains(&link) {
                case_paths.push(link);
            }
        }
    }
    if case_paths.is_empty() {
        bail!("the case list shows no cases; run `procap generate` first");
    }
    let catalogue = get_text(&trainee, &format!("{base}/training/courses")).await?;
    let course = links(&catalogue, "/training/courses/")
        .into_iter()
        .next()
        .context("the trainee sees no course")?;

    let mut all = vec![
        Scenario {
            name: "/healthz",
            clients: vec![anonymous],
            step: Step::Get(vec!["/healthz".to_owned()]),
            concurrency: None,
        },
        Scenario {
            name: "case list (filtered, paginated)",
            clients: vec![coordinator.clone()],
            step: Step::Get(list_paths),
            concurrency: None,
        },
        Scenario {
            name: "case page",
            clients: vec![coordinator.clone()],
            step: Step::Get(case_paths),
            concurrency: None,
        },
        Scenario {
            name: "caseworker home",
            clients: vec![caseworker],
            step: Step::Get(vec!["/".to_owned()]),
            concurrency: None,
        },
        Scenario {
            name: "trainee course page",
            clients: vec![trainee.clone()],
            step: Step::Get(vec![course]),
            concurrency: None,
        },
    ];
    // The AMIF report for a whole year as the coordinator, which covers the
    // coordinator's organisation. In a generated dataset it has every case.
    let year = args.amif_year;
    all.push(Scenario {
        name: "AMIF yearly report (1 client)",
        clients: vec![coordinator],
        step: Step::Get(vec![format!(
            "/reports/amif?from={year}-01-01&to={year}-12-31"
        )]),
        // A report is run by one person at a time, not 32: its target is
        // the time one request takes.
        concurrency: Some(1),
    });
    // A module quiz: no attempt limit, so it can be submitted again and again.
    if let Some(quiz) = &args.quiz {
        // One trainee per client: a trainee has one open attempt at a time.
        let mut trainees = vec![trainee];
        for number in 2..=args.concurrency {
            trainees.push(login(base, &format!("trainee-{number:05}"), &args.password).await?);
        }
        all.push(Scenario {
            name: "quiz submission (start + submit)",
            clients: trainees,
            step: Step::Quiz(quiz.clone()),
            concurrency: None,
        });
    }
    Ok(all)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let host = reqwest::Url::parse(&args.base)?
        .host_str()
        .unwrap_or_default()
        .to_owned();
    if !matches!(host.as_str(), "127.0.0.1" | "[::1]" | "::1" | "localhost") {
        bail!("the load generator only targets this machine (127.0.0.1, ::1 or localhost)");
    }
    if let Some(seconds) = args.soak_seconds {
        return soak::run(
            &args,
            Duration::from_secs(seconds),
            Duration::from_secs(args.report_seconds.max(1)),
        )
        .await;
    }
    let (idle_rss, _) = memory(args.pid);
    let all = scenarios(&args).await?;
    let only: Option<Vec<&str>> = args.only.as_deref().map(|list| list.split(',').collect());
    println!(
        "\n{} — {} clients, {} s per scenario, server RSS before load {:.1} MiB\n",
        args.label, args.concurrency, args.seconds, idle_rss
    );
    println!(
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | mean KiB | RSS MiB | peak RSS MiB | / healthz |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut healthz_rate = None;
    for scenario in &all {
        if only
            .as_ref()
            .is_some_and(|names| !names.iter().any(|name| scenario.name.contains(name)))
        {
            continue;
        }
        if args.warmup > 0 {
            drive(
                &args.base,
                scenario,
                scenario.concurrency.unwrap_or(args.concurrency),
                Duration::from_secs(args.warmup),
            )
            .await;
        }
        let mut outcome = drive(
            &args.base,
            scenario,
            scenario.concurrency.unwrap_or(args.concurrency),
            Duration::from_secs(args.seconds),
        )
        .await;
        outcome.latencies_us.sort_unstable();
        let count = outcome.latencies_us.len() as f64;
        let rate = count / outcome.elapsed.as_secs_f64();
        if scenario.name == "/healthz" {
            healthz_rate = Some(rate);
        }
        let ratio = healthz_rate.map_or("–".to_owned(), |healthz| {
            format!("{:.0} %", 100.0 * rate / healthz)
        });
        let (rss, peak) = memory(args.pid);
        println!(
            "| {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {:.1} | {:.1} | {:.1} | {} |",
            scenario.name,
            rate,
            percentile(&outcome.latencies_us, 0.50),
            percentile(&outcome.latencies_us, 0.95),
            percentile(&outcome.latencies_us, 0.99),
            outcome.errors,
            outcome.bytes as f64 / count.max(1.0) / 1024.0,
            rss,
            peak,
            ratio,
        );
    }
    println!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_finds_each_id_once() {
        let html = r#"<a href="/cases/0b7c6a1e-1111-4222-8333-944455556666">A</a>
            <a href="/cases/0b7c6a1e-1111-4222-8333-944455556666">again</a>
            <a href="/cases/new">new</a>"#;
        assert_eq!(
            links(html, "/cases/"),
            vec!["/cases/0b7c6a1e-1111-4222-8333-944455556666".to_owned()]
        );
    }

    #[test]
    fn percentiles_pick_the_rank() {
        let sorted: Vec<u64> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(percentile(&sorted, 0.50), 50.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.99), 0.0);
    }
}
