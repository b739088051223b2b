//! Roles and what each may do. A user holds exactly one role inside one
//! organisation; permissions are derived from the role and never stored.

use serde::{Deserialize, Serialize};

/// A user's role. The string form (`as_str`) is what the database stores and
/// what the demo accounts are named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Caseworker,
    Psychologist,
    Lawyer,
    Interpreter,
    Escort,
    Trainer,
    Trainee,
    Monitoring,
}

/// Something a user may be allowed to do. Handlers ask for a permission,
/// never for a role, so the matrix below is the single place that decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create organisations and users, reset passwords, end sessions.
    ManageUsers,
    /// Read the audit log.
    ViewAudit,
    /// Open case records of the user's organisation (subject to assignment).
    AccessCases,
    /// See every case of the organisation, approve plans, use break-glass.
    CoordinateCases,
    /// See only assigned appointments and the minimum case data.
    AccessAssignedAppointments,
    /// Build courses, schedule sessions, take attendance.
    ManageTraining,
    /// Take courses and tests.
    TakeTraining,
    /// Aggregated statistics and reports, never identifiable data.
    ViewStatistics,
    /// Create personal API tokens.
    UseApi,
    /// Export cases as pseudonymous HTCDS files (case code, no identifiers).
    ExportCases,
    /// Export cases with names, birth dates and contact details, for a
    /// recorded purpose.
    ExportIdentifiers,
    /// Subscribe to monthly reports by e-mail.
    ScheduleReports,
}

impl Role {
    /// Every role, in the order the demo creates its accounts.
    pub const ALL: [Role; 10] = [
        Role::Admin,
        Role::Coordinator,
        Role::Caseworker,
        Role::Psychologist,
        Role::Lawyer,
        Role::Interpreter,
        Role::Escort,
        Role::Trainer,
        Role::Trainee,
        Role::Monitoring,
    ];

    /// The stable identifier stored in the database and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Caseworker => "caseworker",
            Role::Psychologist => "psychologist",
            Role::Lawyer => "lawyer",
            Role::Interpreter => "interpreter",
            Role::Escort => "escort",
            Role::Trainer => "trainer",
            Role::Trainee => "trainee",
            Role::Monitoring => "monitoring",
        }
    }

    /// Parses the stored identifier; `None` for anything else.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// Whether the role can reach case data at all. These roles must enrol a
    /// second factor before their first use outside demo mode.
    pub fn has_case_access(self) -> bool {
        matches!(
            self,
            Role::Coordinator
                | Role::Caseworker
                | Role::Psychologist
                | Role::Lawyer
                | Role::Interpreter
        )
    }

    /// Whether the role holds `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ManageUsers => self == Role::Admin,
            ViewAudit => matches!(self, Role::Admin | Role::Coordinator),
            AccessCases => matches!(
                self,
                Role::Coordinator | Role::Caseworker | Role::Psychologist | Role::Lawyer
            ),
            CoordinateCases => self == Role::Coordinator,
            AccessAssignedAppointments => matches!(self, Role::Interpreter | Role::Escort),
            ManageTraining => matches!(self, Role::Trainer | Role::Coordinator),
            TakeTraining => self == Role::Trainee,
            ViewStatistics => matches!(self, Role::Monitoring | Role::Coordinator | Role::Admin),
            UseApi => true,
            ExportCases => matches!(self, Role::Coordinator | Role::Monitoring),
            ExportIdentifiers => self == Role::Coordinator,
            ScheduleReports => self == Role::Coordinator,
        }
    }
}

impl Role {
    /// Whether the role may record services of `line` on the cases it works
    /// on: caseworkers and coordinators every line, psychologists
    /// psychosocial support only, lawyers legal assistance only (which
    /// covers legal proceedings), every other role none.
    pub fn may_record(self, line: crate::case::vocab::ServiceLine) -> bool {
        use crate::case::vocab::ServiceLine;
        match self {
            Role::Caseworker | Role::Coordinator => true,
            Role::Psychologist => line == ServiceLine::Psychosocial,
            Role::Lawyer => line == ServiceLine::Legal,
            Role::Admin
            | Role::Interpreter
            | Role::Escort
            | Role::Trainer
            | Role::Trainee
            | Role::Monitoring => false,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_its_identifier() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn trainee_never_reaches_cases() {
        assert!(!Role::Trainee.can(Permission::AccessCases));
        assert!(!Role::Trainee.can(Permission::CoordinateCases));
        assert!(!Role::Trainee.has_case_access());
    }

    #[test]
    fn admin_has_no_case_content_by_default() {
        assert!(!Role::Admin.can(Permission::AccessCases));
        assert!(Role::Admin.can(Permission::ManageUsers));
    }

    #[test]
    fn monitoring_sees_statistics_only() {
        assert!(Role::Monitoring.can(Permission::ViewStatistics));
        assert!(!Role::Monitoring.can(Permission::AccessCases));
        assert!(!Role::Monitoring.can(Permission::ViewAudit));
    }

    #[test]
    fn only_coordinators_export_identifiers() {
        for role in Role::ALL {
            assert_eq!(
                role.can(Permission::ExportIdentifiers),
                role == Role::Coordinator,
                "{role}"
            );
            assert_eq!(
                role.can(Permission::ExportCases),
                matches!(role, Role::Coordinator | Role::Monitoring),
                "{role}"
            );
        }
    }

    #[test]
    fn service_lines_follow_the_profession() {
        use crate::case::vocab::ServiceLine;
        for line in ServiceLine::ALL.iter().copied() {
            assert!(Role::Caseworker.may_record(line), "{}", line.as_str());
            assert!(Role::Coordinator.may_record(line), "{}", line.as_str());
            assert_eq!(
                Role::Psychologist.may_record(line),
                line == ServiceLine::Psychosocial,
                "{}",
                line.as_str()
            );
            assert_eq!(
                Role::Lawyer.may_record(line),
                line == ServiceLine::Legal,
                "{}",
                line.as_str()
            );
            for role in [Role::Admin, Role::Interpreter, Role::Escort, Role::Trainee] {
                assert!(!role.may_record(line), "{role} {}", line.as_str());
            }
        }
    }
}
