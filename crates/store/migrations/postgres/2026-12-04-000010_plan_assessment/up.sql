-- Needs assessments with the re-trafficking risk and safety plan, and the
-- case plan with goals, actions, approval and reviews.
-- Columns ending in _enc hold field-encrypted free text bound to table,
-- column and row id. Levels, risk factors, support types and progress are
-- stable snake_case codes; risk factors are a ';'-joined list.
-- Keep in step with ../../sqlite/2026-12-04-000010_plan_assessment/up.sql.

CREATE TABLE needs_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    assessed_on DATE NOT NULL,
    risk_level TEXT NOT NULL,
    risk_factors TEXT NOT NULL,
    safety_plan_enc BYTEA,
    assessed_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX needs_assessments_case_idx ON needs_assessments (case_id, assessed_on);

CREATE TABLE needs_assessment_domains (
    id TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES needs_assessments (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    level TEXT NOT NULL,
    note_enc BYTEA
);
CREATE UNIQUE INDEX needs_assessment_domains_unique_idx ON needs_assessment_domains (assessment_id, domain);

CREATE TABLE case_plans (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    return_comment_enc BYTEA,
    submitted_by TEXT REFERENCES users (id),
    submitted_at TIMESTAMP,
    decided_by TEXT REFERENCES users (id),
    decided_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE case_plan_goals (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES case_plans (id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    support_type TEXT NOT NULL,
    description_enc BYTEA NOT NULL,
    responsible_user_id TEXT NOT NULL REFERENCES users (id),
    agreed_on DATE NOT NULL,
    due_on DATE NOT NULL,
    next_review_on DATE,
    progress TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_plan_goals_plan_idx ON case_plan_goals (plan_id);
CREATE INDEX case_plan_goals_responsible_idx ON case_plan_goals (responsible_user_id, progress);

CREATE TABLE case_plan_actions (
    id TEXT PRIMARY KEY NOT NULL,
    goal_id TEXT NOT NULL REFERENCES case_plan_goals (id) ON DELETE CASCADE,
    description_enc BYTEA NOT NULL,
    responsible_user_id TEXT NOT NULL REFERENCES users (id),
    due_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_plan_actions_goal_idx ON case_plan_actions (goal_id);

CREATE TABLE case_plan_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES case_plans (id) ON DELETE CASCADE,
    reviewed_on DATE NOT NULL,
    next_review_on DATE,
    reviewed_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_plan_reviews_plan_idx ON case_plan_reviews (plan_id, reviewed_on);

CREATE TABLE case_plan_review_goals (
    id TEXT PRIMARY KEY NOT NULL,
    review_id TEXT NOT NULL REFERENCES case_plan_reviews (id) ON DELETE CASCADE,
    goal_id TEXT NOT NULL REFERENCES case_plan_goals (id) ON DELETE CASCADE,
    progress TEXT NOT NULL,
    note_enc BYTEA
);
CREATE INDEX case_plan_review_goals_review_idx ON case_plan_review_goals (review_id);
