# Home page: welcome and the cards of each role.

home-title = Home
home-welcome = Welcome, { $name }
home-role = Role: { $role }
home-cards-label = Your work
home-soon = Coming soon

home-card-users-title = Users
home-card-users-text = Create accounts, disable and unlock them, and reset passwords.
home-card-organisations-title = Organisations
home-card-organisations-text = The organisations of this installation and their case code prefixes.
home-card-sessions-title = Active sessions
home-card-sessions-text = Who is signed in now, with the option to end a session.
home-card-audit-title = Audit log
home-card-audit-text = Sign-ins, accesses and changes, filtered by user, action and date.
home-card-cases-title = Organisation cases
home-card-cases-text = All cases of your organisation, their progress and deadlines.
home-card-my-cases-title = My cases
home-card-my-cases-text = The cases you handle: screening, needs assessment, case plan and services.
home-card-referrals-title = Referrals and transfers
home-card-referrals-text = The referrals your organisation sent or received: accept, decline, complete.
home-card-assigned-cases-title = Assigned cases
home-card-assigned-cases-text = The cases assigned to you and the services you record on them.
home-card-my-appointments-title = My appointments
home-card-my-appointments-text = The interpretation and escort assignments given to you, with place, time and language.
home-card-courses-title = Courses
home-card-courses-text = E-learning courses, question banks and tests.
home-card-training-sessions-title = Training sessions
home-card-training-sessions-text = Scheduling of in-person sessions and attendance records.
home-card-my-courses-title = My courses
home-card-my-courses-text = The courses you follow, with the pre-test and post-test.
home-card-certificates-title = Certificates
home-card-certificates-text = The certificates of attendance you have received.
home-card-statistics-title = Statistics and reports
home-card-statistics-text = Aggregated figures and indicators, without data that identify anyone.
