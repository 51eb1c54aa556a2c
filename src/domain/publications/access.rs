//! Who may read which chart or report: one rule each, which every path (SVG, CSV, PDF,
//! HTML, and the annual report that embeds the charts) applies.
//!
//! Budget and contributions are the ISU's accounts: ISU staff only. Every other chart draws
//! figures every signed-in user may read. The annual report (activities and finances) is
//! for ISU staff; an action plan's progress report is public to every signed-in user; a
//! State's profile is for ISU staff and that State's delegation.

use crate::auth::Viewer;

/// The charts served under `/charts/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartName {
    ReportingCompliance,
    Obligations,
    BudgetExecution,
    Contributions,
    CooperationCoverage,
    SponsorshipBalance,
    Indicator,
}

impl ChartName {
    /// The file name's stem (`reporting-compliance` in `/charts/reporting-compliance.svg`);
    /// the indicator chart lives under `/charts/indicators/`.
    pub fn from_stem(stem: &str) -> Option<Self> {
        Some(match stem {
            "reporting-compliance" => Self::ReportingCompliance,
            "obligations" => Self::Obligations,
            "budget-execution" => Self::BudgetExecution,
            "contributions" => Self::Contributions,
            "cooperation-coverage" => Self::CooperationCoverage,
            "sponsorship-balance" => Self::SponsorshipBalance,
            _ => return None,
        })
    }
}

/// The answer of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Nobody is signed in: 401.
    SignIn,
    /// Signed in, but not allowed: 403 with this message.
    Forbidden(&'static str),
}

fn signed_in(viewer: &Viewer) -> Access {
    if viewer.principal().is_some() {
        Access::Allowed
    } else {
        Access::SignIn
    }
}

fn isu_only(viewer: &Viewer, message: &'static str) -> Access {
    match signed_in(viewer) {
        Access::Allowed if viewer.is_isu() => Access::Allowed,
        Access::Allowed => Access::Forbidden(message),
        other => other,
    }
}

/// Budget and contributions charts: ISU staff; the others: every signed-in user.
pub fn chart(viewer: &Viewer, name: ChartName) -> Access {
    match name {
        ChartName::BudgetExecution | ChartName::Contributions => isu_only(
            viewer,
            "The budget and contributions charts are for ISU staff.",
        ),
        _ => signed_in(viewer),
    }
}

/// The annual report on activities and finances: ISU staff.
pub fn annual_report(viewer: &Viewer) -> Access {
    isu_only(viewer, "The annual report is for ISU staff.")
}

/// An action plan's progress report: every signed-in user.
pub fn action_plan_report(viewer: &Viewer) -> Access {
    signed_in(viewer)
}

/// A State's profile: ISU staff and the State's own delegation.
pub fn state_profile(viewer: &Viewer, code: &str) -> Access {
    match signed_in(viewer) {
        Access::Allowed if viewer.is_isu() || viewer.acts_for(code) => Access::Allowed,
        Access::Allowed => {
            Access::Forbidden("A State's profile is for its own delegation and ISU staff.")
        }
        other => other,
    }
}
