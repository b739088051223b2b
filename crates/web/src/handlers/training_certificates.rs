//! Certificates of completed courses.
//!
//! - `GET /verify/{code}`: public, no login. A known code shows the holder's
//!   name, the course, the date and whether the certificate is valid or
//!   revoked (with the date, never the reason). An unknown or malformed code
//!   answers 404 with a page saying the code is not known. Codes carry about
//!   67 random bits, so they cannot be found by trying; a malformed code is
//!   refused before the database is asked, and a well-formed one costs one
//!   indexed lookup whether it is known or not.
//! - `GET /badges/issuer`: public, the Open Badges issuer profile with the
//!   signing key as a Multikey and a JWK.
//! - `GET /training/certificates`: the trainee's certificates.
//! - `GET /training/certificates/{id}/pdf` and `…/badge`: the certificate as
//!   PDF and as a signed Open Badges 3.0 credential, for its holder only
//!   (another trainee's id answers 404); trainers and coordinators may
//!   download any. A revoked certificate has neither.
//! - `GET /training/manage/certificates`: the trainers' list, filtered by
//!   course and status, paginated.
//! - `GET`/`POST /training/manage/certificates/{id}/revoke`: the reason, then
//!   a confirmation step, then the revocation, audited as
//!   `training.certificate.revoke` right after.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDateTime;
use procap_crypto::badge::ProofOptions;
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::certificate::VerificationCode;
use procap_reports::certificate::{CertificateRequest, CertificateSide, certificate};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::certificates::{
    self, Certificate, ListQuery, MAX_REASON_CHARS, StatusFilter,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::middleware::CurrentLocale;
use crate::pages::admin::ConfirmPage;
use crate::pages::training_certificates::{
    BADGE_ISSUER, MANAGE_CERTIFICATES, MY_CERTIFICATES, ManageCertificatesPage, ManageFilter,
    ManagedCertificateRow, MyCertificateRow, MyCertificatesPage, RevokePage, Verified, VerifyPage,
    badge_href, pdf_href, revoke_href, verify_href,
};
use crate::pages::{FieldErrors, HiddenField, PageContext, Pagination, SelectOption};
use crate::state::AppState;

/// Rows per page of the trainers' list.
const PER_PAGE: i64 = 25;

/// The JSON-LD contexts of an Open Badges 3.0 credential.
const CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// The course title in the page's language.
fn title_in(locale: Locale, certificate: &Certificate) -> String {
    match locale {
        Locale::En => certificate.course_title_en.clone(),
        _ => certificate.course_title_el.clone(),
    }
}

/// The printed form of a stored code.
fn printed_code(certificate: &Certificate) -> String {
    certificate
        .verification_code()
        .map_or_else(|_| certificate.code.clone(), |code| code.to_string())
}

fn revoked_on(t: &Translator, certificate: &Certificate) -> Option<String> {
    certificate
        .revoked_at
        .map(|at| t.format_date(&athens_date(at)))
}

/// The Athens calendar date of a stored UTC time.
fn athens_date(at: NaiveDateTime) -> chrono::NaiveDate {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive()
}

// --- Public verification ------------------------------------------------------

/// `GET /verify/{code}`: the public verification page.
pub async fn verify(
    State(state): State<AppState>,
    CurrentLocale(locale): CurrentLocale,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    // The language switch returns to this path, so a string that is not a
    // code (it may be anything pasted into the address bar) is not echoed.
    let (found, path) = match VerificationCode::parse(&code) {
        Ok(parsed) => {
            let found = state
                .store
                .run(move |db| certificates::find_by_code(db, &parsed))
                .await?;
            (found, verify_href(&code))
        }
        Err(_) => (None, "/".to_owned()),
    };

    let ctx = PageContext::anonymous(locale, path);
    let t = ctx.t;
    let found = found.map(|certificate| Verified {
        holder_name: certificate.holder_name.clone(),
        course_title: title_in(locale, &certificate),
        issued_on: t.format_date(&certificate.issued_on),
        revoked_on: revoked_on(&t, &certificate),
        code: printed_code(&certificate),
    });
    let known = found.is_some();
    let mut response = render(&VerifyPage { ctx, found })?;
    if !known {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(response)
}

/// `GET /badges/issuer`: the issuer profile and its public key.
pub async fn issuer(State(state): State<AppState>) -> Result<Response, WebError> {
    let name = state
        .store
        .run(certificates::installation_issuer)
        .await?
        .unwrap_or_else(|| "Procap".to_owned());
    let key = state.store.keys().badge_public_key();
    let base = base_url(&state);
    let issuer_id = format!("{base}{BADGE_ISSUER}");
    let profile = json!({
        "@context": CONTEXTS,
        "id": issuer_id,
        "type": ["Profile"],
        "name": name,
        "url": base,
        "verificationMethod": [{
            "id": format!("{issuer_id}#key-1"),
            "type": "Multikey",
            "controller": issuer_id,
            "publicKeyMultibase": key.to_multibase(),
        }],
        "publicKeyJwk": key.to_jwk(),
    });
    Ok(json_response(&profile, "application/json", None))
}

fn base_url(state: &AppState) -> String {
    state.config.public_origin.trim_end_matches('/').to_owned()
}

fn json_response(value: &Value, content_type: &'static str, file_name: Option<&str>) -> Response {
    let mut response = value.to_string().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(name) = file_name
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

// --- The trainee's certificates ------------------------------------------------

/// `GET /training/certificates`: the signed-in trainee's certificates.
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let trainee_id = user.user.id.clone();
    let list = state
        .store
        .run(move |db| certificates::list_for_trainee(db, &trainee_id))
        .await?;
    let ctx = user.page(MY_CERTIFICATES);
    let t = ctx.t;
    let rows = list
        .iter()
        .map(|certificate| MyCertificateRow {
            course_title: title_in(user.locale, certificate),
            issued_on: t.format_date(&certificate.issued_on),
            code: printed_code(certificate),
            revoked_on: revoked_on(&t, certificate),
            pdf_href: pdf_href(&certificate.id),
            badge_href: badge_href(&certificate.id),
            verify_href: verify_href(&certificate.code),
        })
        .collect();
    render(&MyCertificatesPage { ctx, rows })
}

/// Loads a valid certificate the user may download: their own, or any for
/// a trainer. Anything else is 404, so ids of others' certificates are not
/// confirmed.
async fn downloadable(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<(Certificate, Option<String>), WebError> {
    let manager = user.can(Permission::ManageTraining);
    if !manager && !user.can(Permission::TakeTraining) {
        return Err(WebError::Forbidden);
    }
    let (found, organisation) = state
        .store
        .run(move |db| {
            let Some(found) = certificates::find(db, &id)? else {
                return Ok((None, None));
            };
            let organisation = certificates::issuing_organisation(db, &found.course_id)?;
            Ok((Some(found), organisation))
        })
        .await?;
    match found {
        Some(found) if found.is_valid() && (manager || found.trainee_id == user.user.id) => {
            Ok((found, organisation))
        }
        _ => Err(WebError::NotFound),
    }
}

/// `GET /training/certificates/{id}/pdf`: the printable certificate.
pub async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (found, organisation) = downloadable(&state, &user, id).await?;
    let organisation = organisation.unwrap_or_default();
    let code = printed_code(&found);
    let verify_url = format!("{}{}", base_url(&state), verify_href(&found.code));
    let el = Translator::new(Locale::El);
    let en = Translator::new(Locale::En);
    let date = el.format_date(&found.issued_on);
    let texts = |t: &Translator| {
        [
            t.t("certificate-pdf-heading"),
            t.t("certificate-pdf-statement"),
            t.t("certificate-pdf-completed"),
            t.t("certificate-issued-on"),
            t.t("certificate-pdf-issuer"),
            t.t("certificate-code"),
            t.t("certificate-pdf-verify-hint"),
        ]
    };
    let greek = texts(&el);
    let english = texts(&en);
    let document_title = format!("{} · {}", greek[0], found.course_title_el);
    let request = CertificateRequest {
        document_title: &document_title,
        holder_name: &found.holder_name,
        organisation: &organisation,
        code: &code,
        verify_url: &verify_url,
        greek: side(&greek, &found.course_title_el, &date),
        english: side(&english, &found.course_title_en, &date),
    };
    let report = tokio::task::block_in_place(|| certificate(&request))
        .map_err(|error| WebError::Internal(anyhow::anyhow!("certificate PDF: {error}")))?;

    let mut response = report.pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"certificate-{}.pdf\"",
        found.code
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// One language's half of the certificate from its seven texts (heading,
/// statement, completed, date label, issuer label, code label, hint).
fn side<'a>(texts: &'a [String; 7], course_title: &'a str, date: &'a str) -> CertificateSide<'a> {
    CertificateSide {
        heading: &texts[0],
        statement: &texts[1],
        completed: &texts[2],
        course_title,
        date_label: &texts[3],
        date,
        issuer_label: &texts[4],
        code_label: &texts[5],
        verify_hint: &texts[6],
    }
}

/// `GET /training/certificates/{id}/badge`: the certificate as a signed
/// Open Badges 3.0 credential.
pub async fn badge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (found, organisation) = downloadable(&state, &user, id).await?;
    let base = base_url(&state);
    let credential = badge_credential(&base, &found, organisation.as_deref());
    let created = procap_store::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let method = format!("{base}{BADGE_ISSUER}#key-1");
    let signed = state
        .store
        .keys()
        .sign_credential(
            &credential,
            ProofOptions {
                verification_method: &method,
                created: &created,
            },
        )
        .map_err(|error| WebError::Internal(anyhow::anyhow!("badge signing: {error}")))?;
    let file_name = format!("badge-{}.json", found.code);
    Ok(json_response(
        &signed,
        "application/vc+ld+json",
        Some(&file_name),
    ))
}

/// The unsigned Open Badges 3.0 credential of a certificate. Its `id` is
/// the public verification address, which also tells whether the
/// certificate has been revoked since.
pub fn badge_credential(base: &str, found: &Certificate, organisation: Option<&str>) -> Value {
    let issuer_id = format!("{base}{BADGE_ISSUER}");
    json!({
        "@context": CONTEXTS,
        "id": format!("{base}{}", verify_href(&found.code)),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": found.course_title_en,
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": organisation.unwrap_or("Procap"),
        },
        "validFrom": found.issued_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": false,
                "identityHash": found.holder_name,
            }],
            "achievement": {
                "id": format!("{base}/training/courses/{}", found.course_id),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": found.course_title_en,
                "description": found.course_title_el,
                "criteria": {
                    "narrative": "Completed every required lesson, quiz and activity of the course.",
                },
                "inLanguage": "el",
            },
        },
    })
}

// --- Trainers: list and revoke -------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ManageQuery {
    #[serde(default)]
    course: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<String>,
}

/// `GET /training/manage/certificates`: every certificate, filtered.
pub async fn manage(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ManageQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let page_number = query.page.as_deref().and_then(|page| page.parse().ok());
    let status = StatusFilter::parse(&query.status);
    let filter = ManageFilter {
        course: query.course.trim().to_owned(),
        status: match status {
            StatusFilter::All => String::new(),
            other => other.as_str().to_owned(),
        },
    };
    let list_query = ListQuery {
        course_id: (!filter.course.is_empty()).then(|| filter.course.clone()),
        status,
        offset: Pagination::new(page_number, PER_PAGE, 0, MANAGE_CERTIFICATES).offset(),
        limit: PER_PAGE,
    };
    let (list, courses) = state
        .store
        .run(move |db| {
            Ok((
                certificates::list(db, &list_query)?,
                certificates::certified_courses(db)?,
            ))
        })
        .await?;

    let ctx = user.page(MANAGE_CERTIFICATES);
    let t = ctx.t;
    let rows = list
        .rows
        .iter()
        .map(|certificate| ManagedCertificateRow {
            holder_name: certificate.holder_name.clone(),
            course_title: title_in(user.locale, certificate),
            issued_on: t.format_date(&certificate.issued_on),
            code: printed_code(certificate),
            revoked_on: revoked_on(&t, certificate),
            revoke_href: revoke_href(&certificate.id),
            verify_href: verify_href(&certificate.code),
        })
        .collect();
    let course_options = courses
        .into_iter()
        .map(|course| {
            let label = match user.locale {
                Locale::En => course.title_en,
                _ => course.title_el,
            };
            let selected = course.id == filter.course;
            SelectOption::new(course.id, label, selected)
        })
        .collect();
    let status_options = [
        (StatusFilter::Valid, "certificate-status-valid"),
        (StatusFilter::Revoked, "certificate-status-revoked"),
    ]
    .into_iter()
    .map(|(value, key)| SelectOption::new(value.as_str(), t.t(key), value == status))
    .collect();
    let pagination = Pagination::new(page_number, PER_PAGE, list.total, MANAGE_CERTIFICATES)
        .with_params(filter.to_params());
    render(&ManageCertificatesPage {
        ctx,
        rows,
        filter,
        course_options,
        status_options,
        pagination,
    })
}

async fn load_valid(state: &AppState, id: String) -> Result<Certificate, WebError> {
    let found = state
        .store
        .run(move |db| certificates::find(db, &id))
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(found)
}

fn revoke_page(
    user: &CurrentUser,
    found: &Certificate,
    reason: String,
    errors: FieldErrors,
) -> RevokePage {
    let ctx = user.page(MANAGE_CERTIFICATES);
    RevokePage {
        action: revoke_href(&found.id),
        holder_name: found.holder_name.clone(),
        course_title: title_in(user.locale, found),
        issued_on: ctx.t.format_date(&found.issued_on),
        code: printed_code(found),
        reason,
        errors,
        max_reason: MAX_REASON_CHARS,
        ctx,
    }
}

/// `GET /training/manage/certificates/{id}/revoke`: the reason form.
pub async fn revoke_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let found = load_valid(&state, id).await?;
    if !found.is_valid() {
        return Ok(Redirect::to(MANAGE_CERTIFICATES).into_response());
    }
    render(&revoke_page(
        &user,
        &found,
        String::new(),
        FieldErrors::new(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirmed: String,
}

/// `POST /training/manage/certificates/{id}/revoke`: without
/// `confirmed=yes` checks the reason and asks for confirmation; with it,
/// revokes and records the audit event.
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let found = load_valid(&state, id).await?;
    if !found.is_valid() {
        return Ok(Redirect::to(MANAGE_CERTIFICATES).into_response());
    }
    let t = Translator::new(user.locale);
    let reason = form.reason.trim().to_owned();
    let mut errors = FieldErrors::new();
    if reason.is_empty() {
        errors.add("reason", t.t("certificate-revoke-error-empty"));
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.add(
            "reason",
            t.t1("certificate-revoke-error-too-long", "max", MAX_REASON_CHARS),
        );
    }
    if !errors.is_empty() {
        let mut response = render(&revoke_page(&user, &found, form.reason, errors))?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    if form.confirmed != "yes" {
        let ctx = user.page(MANAGE_CERTIFICATES);
        let page = ConfirmPage {
            title: t.t("certificate-revoke-confirm-title"),
            message: t.t2(
                "certificate-revoke-confirm-text",
                "name",
                found.holder_name.as_str(),
                "course",
                title_in(user.locale, &found),
            ),
            action: revoke_href(&found.id),
            hidden: vec![
                HiddenField {
                    name: "reason".into(),
                    value: reason,
                },
                HiddenField {
                    name: "confirmed".into(),
                    value: "yes".into(),
                },
            ],
            confirm_label: t.t("certificate-revoke"),
            cancel_href: MANAGE_CERTIFICATES.to_owned(),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let id = found.id.clone();
    let actor = user.user.id.clone();
    let event = AuditEvent::new("training.certificate.revoke", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("certificate", &found.id)
        .details(json!({ "course_id": found.course_id }));
    let result = state
        .store
        .run(move |db| {
            // The revocation and its audit event commit together.
            db.transaction(|db| {
                certificates::revoke(db, &id, &actor, &reason, procap_store::now())?;
                procap_store::audit::append(db, &event)?;
                Ok(())
            })
        })
        .await;
    match result {
        Ok(()) => {}
        Err(StoreError::Conflict("already_revoked")) => {}
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(MANAGE_CERTIFICATES).into_response())
}
