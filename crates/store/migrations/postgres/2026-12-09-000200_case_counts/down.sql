DROP INDEX cases_sealed_idx;
DROP TRIGGER case_counts_update ON cases;
DROP TRIGGER case_counts_delete ON cases;
DROP TRIGGER case_counts_insert ON cases;
DROP FUNCTION case_counts_after_update;
DROP FUNCTION case_counts_after_delete;
DROP FUNCTION case_counts_after_insert;
DROP TABLE case_counts;
