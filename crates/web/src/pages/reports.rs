//! The reports pages: the case dashboard, the context figures, the AMIF
//! indicators of a period with their downloads, the definition page of
//! each indicator, and the NRM statistics of a period with their downloads.

use askama::Template;

use super::charts::ChartBlock;
use super::{FieldErrors, PageContext, SelectOption};

/// The case dashboard.
pub const DASHBOARD_PATH: &str = "/reports/dashboard";
/// UNODC and CTDC figures beside the organisation's own.
pub const CONTEXT_PATH: &str = "/reports/context";
/// The AMIF indicators page.
pub const AMIF_PATH: &str = "/reports/amif";

/// The reports pages with the Fluent key of each link, in the order the
/// links between them show.
pub const REPORT_LINKS: [(&str, &str); 3] = [
    (DASHBOARD_PATH, "reports-nav-dashboard"),
    (CONTEXT_PATH, "reports-nav-context"),
    (AMIF_PATH, "reports-nav-amif"),
];
/// The AMIF downloads (CSV, XLSX, PDF), same query plus `format`.
pub const AMIF_DOWNLOAD_PATH: &str = "/reports/amif/download";

/// The NRM statistics page.
pub const NRM_PATH: &str = "/reports/nrm";
/// The NRM statistics downloads (CSV, XLSX, PDF), same query plus `format`.
pub const NRM_DOWNLOAD_PATH: &str = "/reports/nrm/download";

/// The definition page of the indicator `code`.
pub fn definition_href(code: &str) -> String {
    format!("/reports/amif/definitions/{code}")
}

/// The filter as typed, kept as text so a bad value is shown back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodForm {
    pub from: String,
    pub to: String,
    /// An organisation id, or empty for all.
    pub organisation: String,
}

/// One indicator row, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmifLine {
    pub name: String,
    pub value: String,
    pub definition_href: String,
    /// Indented under the indicator it is a part of.
    pub part: bool,
}

/// A download link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reports_amif.html")]
pub struct AmifPage {
    pub ctx: PageContext,
    pub form: PeriodForm,
    pub errors: FieldErrors,
    pub organisations: Vec<SelectOption>,
    /// Whether the user may choose "all organisations".
    pub all_allowed: bool,
    /// The period and scope in words; empty when the filter has errors.
    pub summary: String,
    pub participants: Vec<AmifLine>,
    pub training: Vec<AmifLine>,
    pub downloads: Vec<Download>,
    /// Links to the other report pages the user may open.
    pub other_reports: Vec<Download>,
}

impl AmifPage {
    pub fn action(&self) -> &'static str {
        AMIF_PATH
    }

    pub fn nrm_href(&self) -> &'static str {
        NRM_PATH
    }
    pub fn report_links(&self) -> &'static [(&'static str, &'static str)] {
        &REPORT_LINKS
    }
}

/// The case dashboard's filter as typed, kept as text so a bad value is
/// shown back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardForm {
    pub from: String,
    pub to: String,
    /// An organisation id, or empty for all.
    pub organisation: String,
    /// A case region code, or empty for all.
    pub region: String,
}

/// A part of the dashboard (caseload, activity, training) with its charts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardPart {
    pub id: &'static str,
    pub heading: String,
    pub charts: Vec<ChartBlock>,
}

#[derive(Template)]
#[template(path = "reports_dashboard.html")]
pub struct CaseDashboardPage {
    pub ctx: PageContext,
    pub form: DashboardForm,
    pub errors: FieldErrors,
    pub organisations: Vec<SelectOption>,
    pub regions: Vec<SelectOption>,
    /// Whether the user may choose "all organisations".
    pub all_allowed: bool,
    /// The period, scope and caseload in words; empty when the filter has
    /// errors.
    pub summary: String,
    pub parts: Vec<DashboardPart>,
}

impl CaseDashboardPage {
    pub fn action(&self) -> &'static str {
        DASHBOARD_PATH
    }

    pub fn report_links(&self) -> &'static [(&'static str, &'static str)] {
        &REPORT_LINKS
    }
}

#[derive(Template)]
#[template(path = "reports_context.html")]
pub struct ContextPage {
    pub ctx: PageContext,
    pub form: DashboardForm,
    pub errors: FieldErrors,
    pub organisations: Vec<SelectOption>,
    pub regions: Vec<SelectOption>,
    pub all_allowed: bool,
    pub summary: String,
    pub charts: Vec<ChartBlock>,
}

impl ContextPage {
    pub fn action(&self) -> &'static str {
        CONTEXT_PATH
    }

    pub fn report_links(&self) -> &'static [(&'static str, &'static str)] {
        &REPORT_LINKS
    }
}

/// One table of the NRM statistics, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmTableView {
    /// The element id of the caption.
    pub id: String,
    pub caption: String,
    /// Whether a person may count in more than one row.
    pub multi_valued: bool,
    /// The label and the number of persons of each row.
    pub rows: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "reports_nrm.html")]
pub struct NrmStatisticsPage {
    pub ctx: PageContext,
    pub form: PeriodForm,
    pub errors: FieldErrors,
    pub organisations: Vec<SelectOption>,
    /// Whether the user may choose "all organisations".
    pub all_allowed: bool,
    /// The period and scope in words; empty when the filter has errors.
    pub summary: String,
    pub persons: String,
    pub new_persons: String,
    pub tables: Vec<NrmTableView>,
    pub downloads: Vec<Download>,
}

impl NrmStatisticsPage {
    pub fn action(&self) -> &'static str {
        NRM_PATH
    }

    pub fn amif_href(&self) -> &'static str {
        AMIF_PATH
    }
}

#[derive(Template)]
#[template(path = "reports_definition.html")]
pub struct DefinitionPage {
    pub ctx: PageContext,
    pub name: String,
    pub definition: String,
    /// The indicator this one is a part of, with its definition page.
    pub part_of: Option<(String, String)>,
    pub back_href: &'static str,
}

/// The HTCDS export form; the form posts to the same path.
pub const HTCDS_PATH: &str = "/reports/htcds";

/// The HTCDS export form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtcdsForm {
    pub from: String,
    pub to: String,
    /// An organisation id, or empty for all (monitoring officers only).
    pub organisation: String,
    /// `open`, `closed` or empty for both.
    pub status: String,
    /// The configured keys ticked.
    pub chosen: Vec<String>,
    pub pasted_recipient: String,
    pub with_identifiers: bool,
    pub purpose: String,
}

/// A configured recipient key offered as a checkbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientOption {
    /// The checkbox's element id.
    pub id: String,
    pub key: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "reports_htcds.html")]
pub struct HtcdsPage {
    pub ctx: PageContext,
    pub form: HtcdsForm,
    pub errors: FieldErrors,
    pub organisations: Vec<SelectOption>,
    pub statuses: Vec<SelectOption>,
    pub recipients: Vec<RecipientOption>,
    /// Whether the user may choose another organisation or all.
    pub all_allowed: bool,
    /// Whether the user may add identifiers.
    pub identifiers_allowed: bool,
}

impl HtcdsPage {
    pub fn action(&self) -> &'static str {
        HTCDS_PATH
    }
}

/// The scheduled reports page: the user's subscriptions and the form.
pub const SCHEDULE_PATH: &str = "/reports/schedule";

/// Where a subscription's unsubscribe form posts.
pub fn cancel_href(id: &str) -> String {
    format!("{SCHEDULE_PATH}/{id}/cancel")
}

/// The subscription form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleForm {
    /// `link` or `attachment`.
    pub delivery: String,
    pub recipient_key: String,
}

/// One subscription, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub report: String,
    pub delivery: String,
    pub since: String,
    pub last_delivery: String,
    pub cancel_href: String,
}

#[derive(Template)]
#[template(path = "reports_schedule.html")]
pub struct SchedulePage {
    pub ctx: PageContext,
    pub rows: Vec<ScheduleRow>,
    pub pagination: super::Pagination,
    pub form: ScheduleForm,
    pub errors: FieldErrors,
    /// The address messages go to; empty when the account has none.
    pub email: String,
}

impl SchedulePage {
    pub fn action(&self) -> &'static str {
        SCHEDULE_PATH
    }

    /// The form value of a link subscription.
    pub fn link(&self) -> &'static str {
        procap_store::report_subscriptions::DELIVERY_LINK
    }

    /// The form value of an attachment subscription.
    pub fn attachment(&self) -> &'static str {
        procap_store::report_subscriptions::DELIVERY_ATTACHMENT
    }
}
