DROP TABLE case_plan_review_goals;
DROP TABLE case_plan_reviews;
DROP TABLE case_plan_actions;
DROP TABLE case_plan_goals;
DROP TABLE case_plans;
DROP TABLE needs_assessment_domains;
DROP TABLE needs_assessments;
