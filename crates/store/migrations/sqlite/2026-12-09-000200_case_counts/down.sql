DROP INDEX cases_sealed_idx;
DROP TRIGGER case_counts_update;
DROP TRIGGER case_counts_delete;
DROP TRIGGER case_counts_insert;
DROP TABLE case_counts;
