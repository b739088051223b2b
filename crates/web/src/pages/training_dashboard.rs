//! The trainers' progress dashboard (`/training/manage/dashboard`): each
//! figure is an SVG chart from [`super::charts`] followed by a table with
//! the same numbers.

use askama::Template;

pub use super::charts::{
    BLUE, BarChart, ChartBlock, ORANGE, Series, TEAL, TableRow, bar_chart, decimal, percent,
};
use super::{FieldErrors, PageContext, SelectOption};

/// Path of the dashboard.
pub const DASHBOARD_PATH: &str = "/training/manage/dashboard";

/// The filter form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardForm {
    /// `YYYY-MM-DD`, first day counted.
    pub from: String,
    /// `YYYY-MM-DD`, last day counted.
    pub to: String,
    /// A region code, or empty for every region.
    pub region: String,
}

#[derive(Clone, Template)]
#[template(path = "training_dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageContext,
    pub form: DashboardForm,
    pub regions: Vec<SelectOption>,
    pub errors: FieldErrors,
    /// The programme target in trainees.
    pub target: String,
    /// "N trainees of the target of 180 (x %)".
    pub summary: String,
    pub charts: Vec<ChartBlock>,
}

impl DashboardPage {
    pub fn action(&self) -> &'static str {
        DASHBOARD_PATH
    }
}
