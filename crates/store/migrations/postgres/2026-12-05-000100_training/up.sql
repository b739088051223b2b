-- Training: trainees and their invitations, courses with modules and
-- lessons, the question bank, quizzes and attempts, sessions with their
-- registrations and attendance, certificates and evaluations.
--
-- Training records hold no case data. Trainees are users with the role
-- `trainee`; their name and e-mail stay in `users`.
--
-- Codes used below (the domain and the web layer own their meaning):
--   sector: airport, public_transport, tourism, labour_inspection, school,
--           reception_identification, ngo, other
--   region: attica, central_macedonia, other
-- Points are whole hundredths of a point (procap_domain::training::Points).
-- JSON columns are TEXT: question definitions are the serde form of
-- procap_domain::training::question::Question, question texts the serde
-- form of procap_domain::training::QuestionTexts, draws a JSON array of
-- procap_domain::training::quiz::TagDraw.
-- Keep in step with ../../sqlite/2026-12-05-000100_training/up.sql.

CREATE TABLE courses (
    id TEXT PRIMARY KEY NOT NULL,
    -- A stable handle, used by content import to update a course in place.
    slug TEXT NOT NULL UNIQUE,
    title_el TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_el TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    -- Comma-separated sector codes the course is meant for; empty for all.
    sectors TEXT NOT NULL,
    -- draft, published, archived. Trainees see published courses only.
    status TEXT NOT NULL,
    -- Completion rules besides required lessons and quizzes (which are
    -- flagged on the lesson and quiz rows).
    rule_post_test BOOLEAN NOT NULL,
    rule_attendance BOOLEAN NOT NULL,
    rule_evaluation BOOLEAN NOT NULL,
    -- The course's pre-test and post-test (rows of `quizzes`; no foreign
    -- key because quizzes reference courses).
    pre_test_quiz_id TEXT,
    post_test_quiz_id TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE course_prerequisites (
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    required_course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, required_course_id)
);

CREATE TABLE training_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    -- What a trainee types at registration; stored upper case.
    code TEXT NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    sector TEXT NOT NULL,
    region TEXT NOT NULL,
    -- A course the trainee is enrolled in on registration, if any.
    course_id TEXT REFERENCES courses (id) ON DELETE SET NULL,
    max_uses INTEGER,
    uses INTEGER NOT NULL,
    expires_on DATE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE trainee_profiles (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sector TEXT NOT NULL,
    region TEXT NOT NULL,
    -- Where the trainee works, as they wrote it (e.g. an airline).
    employer TEXT,
    invitation_id TEXT REFERENCES training_invitations (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trainee_profiles_sector_idx ON trainee_profiles (sector);

CREATE TABLE course_modules (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title_el TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- Set on a sector module (e.g. airport); NULL for a module for all.
    sector TEXT
);
CREATE INDEX course_modules_course_idx ON course_modules (course_id, position);

CREATE TABLE lessons (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id TEXT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- text (Markdown body) or scorm (a SCORM 1.2 package, see scorm_packages).
    kind TEXT NOT NULL,
    title_el TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- Markdown as the trainer wrote it; sanitised when rendered.
    body_el TEXT NOT NULL,
    body_en TEXT NOT NULL,
    -- An https link to a video, shown as a link (never embedded).
    video_url TEXT,
    -- Whether viewing the lesson is a completion rule of the course.
    required BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX lessons_module_idx ON lessons (module_id, position);
CREATE INDEX lessons_course_idx ON lessons (course_id);

CREATE TABLE lesson_files (
    id TEXT PRIMARY KEY NOT NULL,
    lesson_id TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- Key in the object store.
    storage_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX lesson_files_lesson_idx ON lesson_files (lesson_id);

CREATE TABLE scorm_packages (
    id TEXT PRIMARY KEY NOT NULL,
    lesson_id TEXT NOT NULL UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- Object-store prefix the unpacked files live under.
    storage_prefix TEXT NOT NULL,
    -- The launch file of the package's first SCO, relative to the prefix.
    launch_path TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE scorm_results (
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    -- cmi.core.lesson_status: passed, completed, failed, incomplete,
    -- browsed, not attempted.
    lesson_status TEXT NOT NULL,
    -- cmi.core.score.raw as hundredths, when the package reported one.
    score_raw INTEGER,
    -- cmi.suspend_data and other values the package stored, as JSON.
    data TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (trainee_id, lesson_id)
);

CREATE TABLE questions (
    id TEXT PRIMARY KEY NOT NULL,
    -- The course whose bank holds the question.
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- A stable handle within the course, used by content import.
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Comma-separated bank tags, also inside `definition`.
    tags TEXT NOT NULL,
    points INTEGER NOT NULL,
    definition TEXT NOT NULL,
    texts TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- A retired question is kept for past attempts but never drawn again.
    retired_at TIMESTAMP,
    UNIQUE (course_id, slug)
);

CREATE TABLE quizzes (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- The module it closes, or NULL for the pre-test and post-test.
    module_id TEXT REFERENCES course_modules (id) ON DELETE SET NULL,
    -- pre_test, post_test or module.
    purpose TEXT NOT NULL,
    slug TEXT NOT NULL,
    title_el TEXT NOT NULL,
    title_en TEXT NOT NULL,
    pass_mark INTEGER NOT NULL,
    time_limit_seconds INTEGER,
    max_attempts INTEGER,
    -- score_zero or accept (procap_domain::training::quiz::LateRule).
    late_rule TEXT NOT NULL,
    draws TEXT NOT NULL,
    -- Whether passing it is a completion rule of the course.
    required BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (course_id, slug)
);

CREATE TABLE enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The trainer who enrolled them, or NULL for self-enrolment.
    enrolled_by TEXT REFERENCES users (id),
    enrolled_at TIMESTAMP NOT NULL,
    -- Set the moment the completion rules are met.
    completed_at TIMESTAMP,
    UNIQUE (course_id, trainee_id)
);
CREATE INDEX enrolments_trainee_idx ON enrolments (trainee_id);

CREATE TABLE lesson_views (
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    first_viewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (trainee_id, lesson_id)
);

CREATE TABLE quiz_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    quiz_id TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    -- The seed of the random draw, so the same questions can be rebuilt.
    seed BIGINT NOT NULL,
    -- JSON array of the drawn question ids, in the order shown.
    question_ids TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    -- JSON object question id -> answer, as submitted.
    answers TEXT,
    -- JSON object question id -> graded answer (outcome and points).
    grades TEXT,
    points INTEGER,
    max_points INTEGER,
    passed BOOLEAN,
    -- on_time, in_grace or late.
    timeliness TEXT,
    UNIQUE (quiz_id, trainee_id, number)
);
CREATE INDEX quiz_attempts_trainee_idx ON quiz_attempts (trainee_id, quiz_id);

CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT REFERENCES courses (id) ON DELETE SET NULL,
    title_el TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- in_person or online.
    mode TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    -- Address for in_person, https link for online.
    place TEXT,
    link TEXT,
    region TEXT NOT NULL,
    -- The sector the session is organised for, if one.
    sector TEXT,
    capacity INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX training_sessions_starts_idx ON training_sessions (starts_at);

CREATE TABLE session_trainers (
    session_id TEXT NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE session_registrations (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- registered, waiting or cancelled.
    status TEXT NOT NULL,
    registered_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    attended_at TIMESTAMP,
    checked_in_by TEXT REFERENCES users (id),
    UNIQUE (session_id, trainee_id)
);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    -- The verification code in compact form
    -- (procap_domain::training::certificate::VerificationCode::compact).
    code TEXT NOT NULL UNIQUE,
    course_id TEXT NOT NULL REFERENCES courses (id),
    trainee_id TEXT NOT NULL REFERENCES users (id),
    -- Name and course title as printed, kept as issued.
    holder_name TEXT NOT NULL,
    course_title_el TEXT NOT NULL,
    course_title_en TEXT NOT NULL,
    issued_on DATE NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    revoked_reason TEXT
);
-- One valid certificate per trainee and course; a revoked one may be
-- followed by a new one.
CREATE UNIQUE INDEX certificates_valid_idx ON certificates (course_id, trainee_id)
    WHERE revoked_at IS NULL;

CREATE TABLE evaluations (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    trainee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- end_of_course or follow_up (three months after completion).
    kind TEXT NOT NULL,
    due_on DATE NOT NULL,
    sent_at TIMESTAMP,
    reminder_sent_at TIMESTAMP,
    answered_at TIMESTAMP,
    -- Likert 1-5. End of course: usefulness for work, quality.
    -- Follow-up: still using what was learned.
    usefulness INTEGER,
    quality INTEGER,
    still_using INTEGER,
    -- Free text the trainee wrote, plain (no case data).
    comment TEXT,
    UNIQUE (course_id, trainee_id, kind)
);
CREATE INDEX evaluations_due_idx ON evaluations (due_on);
