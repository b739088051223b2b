//! Pages of referrals: a case's referrals with the form to send one, and
//! the organisation's incoming and outgoing referrals (`/referrals`).

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// The organisation's referral list; answers post below it.
pub const REFERRALS_PATH: &str = "/referrals";

/// Returns the path of a case's referral page; the send form posts there.
pub fn case_referrals_href(case_id: &str) -> String {
    format!("/cases/{case_id}/referrals")
}

/// One referral as a case's referral page shows it. Texts are translated
/// or decrypted already.
#[derive(Debug, Clone)]
pub struct CaseReferralRow {
    pub id: String,
    pub direction: String,
    pub organisation: String,
    pub service: String,
    pub kind: String,
    pub status: String,
    pub referred_on: String,
    pub reason: String,
    pub override_reason: String,
    pub response_reason: String,
    /// Whether the user's organisation sent it and may still revoke it.
    pub can_revoke: bool,
    pub revoke_action: String,
}

/// The values of the send form, as typed. The reasons are free text, so
/// `Debug` leaves them out.
#[derive(Clone, Default)]
pub struct ReferralForm {
    pub to_organisation_id: String,
    pub service_line: String,
    pub is_transfer: bool,
    pub reason: String,
    pub override_reason: String,
}

impl std::fmt::Debug for ReferralForm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ReferralForm")
            .field("to_organisation_id", &self.to_organisation_id)
            .field("service_line", &self.service_line)
            .field("is_transfer", &self.is_transfer)
            .finish_non_exhaustive()
    }
}

impl ReferralForm {
    /// Reads the form fields; unknown fields are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = ReferralForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "to_organisation_id" => form.to_organisation_id.clone_from(value),
                "service_line" => form.service_line.clone_from(value),
                "is_transfer" => form.is_transfer = !value.is_empty(),
                "reason" => form.reason.clone_from(value),
                "override_reason" => form.override_reason.clone_from(value),
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "case_referrals.html")]
pub struct CaseReferralsPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub referrals: Vec<CaseReferralRow>,
    /// Whether the user may send a referral from this case.
    pub can_send: bool,
    /// Whether the user may send without a recorded consent (coordinators).
    pub can_override: bool,
    pub organisations: Vec<SelectOption>,
    pub services: Vec<SelectOption>,
    pub form: ReferralForm,
    pub errors: FieldErrors,
}

impl CaseReferralsPage {
    pub fn action(&self) -> String {
        case_referrals_href(&self.case_id)
    }

    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }
}

/// One row of the organisation's referral list: the minimum, no free text.
#[derive(Debug, Clone)]
pub struct ReferralListRow {
    pub id: String,
    pub case_code: String,
    /// The case page; empty when the user cannot open the case yet.
    pub case_href: String,
    pub organisation: String,
    pub referred_on: String,
    pub service: String,
    pub kind: String,
    pub status: String,
    /// Accept and decline are offered while the referral waits.
    pub can_answer: bool,
    /// Complete is offered once accepted.
    pub can_complete: bool,
}

impl ReferralListRow {
    pub fn accept_action(&self) -> String {
        format!("{REFERRALS_PATH}/{}/accept", self.id)
    }

    pub fn decline_action(&self) -> String {
        format!("{REFERRALS_PATH}/{}/decline", self.id)
    }

    pub fn complete_action(&self) -> String {
        format!("{REFERRALS_PATH}/{}/complete", self.id)
    }

    pub fn reason_field(&self) -> String {
        format!("reason-{}", self.id)
    }
}

#[derive(Template)]
#[template(path = "case_referrals_list.html")]
pub struct ReferralListPage {
    pub ctx: PageContext,
    pub incoming: Vec<ReferralListRow>,
    pub outgoing: Vec<ReferralListRow>,
    pub errors: FieldErrors,
}
