//! Interpretation appointments over real HTTP, on SQLite and PostgreSQL:
//! proposing and booking the demo interpreter, refusing an overlapping
//! booking, the interpreter's agenda and iCal feed showing only the case
//! code (never the person's name), and completion into a service record.
//!
//! Demo accounts: `caseworker` (assigned to the fictional demo cases) and
//! `interpreter` (organisation `KA`, female, languages en, fr, ar, ti).

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};

/// Given and family names of the fictional demo cases.
const DEMO_NAMES: [&str; 4] = ["Αμάρα", "Olena", "Rahim", "Δοκιμαστική"];
const PLACE: &str = "Κέντρο Υγείας Δοκιμής, γραφείο 2";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// The id and code of the first fictional demo case.
fn demo_case(server: &TestServer) -> (String, String) {
    let output = server.cli(&["token", "create", "--user", "caseworker"]);
    assert!(output.status.success());
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().unwrap();
    let case = &body["items"][0];
    (
        case["id"].as_str().expect("a demo case").to_owned(),
        case["code"].as_str().expect("a case code").to_owned(),
    )
}

/// The non-empty option values of the `<select>` with `id`.
fn option_values(body: &str, id: &str) -> Vec<String> {
    let Some(start) = body.find(&format!("id=\"{id}\"")) else {
        return Vec::new();
    };
    let select = &body[start..];
    let select = &select[..select.find("</select>").unwrap()];
    select
        .split("<option value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .filter(|value| !value.is_empty())
        .collect()
}

fn request<'a>(day: &'a str, time: &'a str, gender: &'a str) -> Vec<(&'a str, String)> {
    vec![
        ("kind", "interpretation".to_owned()),
        ("starts_at", format!("{day}T{time}")),
        ("duration_minutes", "60".to_owned()),
        ("place", PLACE.to_owned()),
        ("language", "en".to_owned()),
        ("dialect", String::new()),
        ("gender", gender.to_owned()),
    ]
}

fn post(browser: &Browser, path: &str, fields: &[(&str, String)]) -> common::Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    browser.post(path, &form)
}

fn assert_no_names(text: &str, what: &str) {
    for name in DEMO_NAMES {
        assert!(!text.contains(name), "{what} shows the name {name}");
    }
}

#[test]
fn interpreter_is_booked_once_and_sees_only_the_case_code() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, code) = demo_case(&server);
        let day = (chrono::Utc::now() + chrono::Duration::days(3))
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let path = format!("/cases/{case_id}/appointments");

        let caseworker = signed_in(&server, "caseworker");
        let page = caseworker.get(&path);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        // The person's first language is the default.
        assert!(
            page.body.contains("<option value=\"en\" selected>"),
            "{backend}"
        );

        // Nobody male speaks English in the demo.
        let mut fields = request(&day, "10:00", "male");
        fields.push(("propose", "1".to_owned()));
        let page = post(&caseworker, &path, &fields);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            option_values(&page.body, "staff_user_id").is_empty(),
            "{backend}"
        );

        // A woman who speaks English: the demo interpreter.
        let mut fields = request(&day, "10:00", "female");
        fields.push(("propose", "1".to_owned()));
        let page = post(&caseworker, &path, &fields);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let candidates = option_values(&page.body, "staff_user_id");
        assert_eq!(candidates.len(), 1, "{backend}: {candidates:?}");
        let interpreter_id = candidates[0].clone();

        let mut fields = request(&day, "10:00", "female");
        fields.push(("staff_user_id", interpreter_id.clone()));
        fields.push(("book", "1".to_owned()));
        let page = post(&caseworker, &path, &fields);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.url.ends_with(&path), "{backend}: {}", page.url);
        assert_eq!(page.body.matches("/cancel\"").count(), 1, "{backend}");

        // Half an hour later, same interpreter: refused, values kept, nothing stored.
        let mut fields = request(&day, "10:30", "female");
        fields.push(("staff_user_id", interpreter_id.clone()));
        fields.push(("book", "1".to_owned()));
        let page = post(&caseworker, &path, &fields);
        assert_eq!(page.status, 409, "{backend}: {}", page.body);
        assert!(
            page.body.contains(&format!("value=\"{day}T10:30\"")),
            "{backend}"
        );
        assert!(page.body.contains("role=\"alert\""), "{backend}");
        let page = caseworker.get(&path);
        assert_eq!(page.body.matches("/cancel\"").count(), 1, "{backend}");

        // The interpreter's agenda: the code, the place, no name.
        let interpreter = signed_in(&server, "interpreter");
        let agenda = interpreter.get(&format!("/agenda?day={day}"));
        assert_eq!(agenda.status, 200, "{backend}: {}", agenda.body);
        assert!(agenda.body.contains(&code), "{backend}: no case code");
        assert!(agenda.body.contains(PLACE), "{backend}: no place");
        assert!(agenda.body.contains("10:00–11:00"), "{backend}");
        assert_no_names(&agenda.body, "the agenda");
        assert!(
            agenda.body.contains("href=\"/agenda\""),
            "{backend}: no nav entry"
        );

        // No way into the case itself.
        let status = interpreter.get(&format!("/cases/{case_id}")).status;
        assert!(status == 403 || status == 404, "{backend}: {status}");
        assert_eq!(interpreter.get(&path).status, 403, "{backend}");

        // The calendar feed.
        let page = interpreter.post("/agenda/feed", &[]);
        assert_eq!(page.status, 200, "{backend}");
        let start = page.body.find("token=").expect("a feed address") + "token=".len();
        let token: String = page.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let client = reqwest::blocking::Client::new();
        let feed = client
            .get(format!("{}/agenda.ics?token={token}", server.base))
            .send()
            .unwrap();
        assert_eq!(feed.status(), 200, "{backend}");
        assert!(
            feed.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar"),
            "{backend}"
        );
        let text = feed.text().unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{backend}: {text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{backend}");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "{backend}: {text}");
        assert!(text.lines().all(|line| line.len() <= 75), "{backend}");
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&code), "{backend}");
        assert!(
            unfolded.contains("Κέντρο Υγείας Δοκιμής\\, γραφείο 2"),
            "{backend}"
        );
        assert_no_names(&unfolded, "the feed");
        let wrong = client
            .get(format!("{}/agenda.ics?token=pcp_wrong", server.base))
            .send()
            .unwrap();
        assert_eq!(wrong.status(), 404, "{backend}");
        let missing = client
            .get(format!("{}/agenda.ics", server.base))
            .send()
            .unwrap();
        assert_eq!(missing.status(), 404, "{backend}");

        // Completing records an interpretation service on the case.
        let services_path = format!("/cases/{case_id}/services");
        let before = caseworker.get(&services_path);
        let marker = "/complete\"";
        let start = agenda.body.find(marker).expect("a complete button");
        let action_start = agenda.body[..start].rfind("action=\"").unwrap() + "action=\"".len();
        let action = format!("{}/complete", &agenda.body[action_start..start]);
        let done = interpreter.post(&action, &[]);
        assert_eq!(done.status, 200, "{backend}: {}", done.body);
        let agenda = interpreter.get(&format!("/agenda?day={day}"));
        assert!(!agenda.body.contains(marker), "{backend}: still open");
        if before.status == 200 {
            let after = caseworker.get(&services_path);
            assert_eq!(after.status, 200);
            assert!(
                after.body.matches("Διερμηνεία").count()
                    > before.body.matches("Διερμηνεία").count(),
                "{backend}: no interpretation service after completion"
            );
        }

        let log = server.log();
        assert!(!log.contains(PLACE), "{backend}: the place reached the log");
        assert!(
            !log.contains(&token),
            "{backend}: the feed token reached the log"
        );
        assert_no_names(&log, "the log");
    });
}
