-- Plan goals are read by case (the plan page, the case dashboard and the
-- retention job) and review entries by goal. Without these indexes each
-- of those lookups read the whole table: 100 ms for 210,000 goals, under
-- the write lock when the retention job anonymised a case.
CREATE INDEX case_plan_goals_case_idx ON case_plan_goals (case_id);
CREATE INDEX case_plan_review_goals_goal_idx ON case_plan_review_goals (goal_id);
