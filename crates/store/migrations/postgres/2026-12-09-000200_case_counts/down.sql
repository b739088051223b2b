DROP INDEX cases_sealed_idx;
DROP TRIGGER case_counts_track ON cases;
DROP FUNCTION case_counts_track;
DROP FUNCTION case_counts_add;
DROP TABLE case_counts;
