-- The AMIF report reads the person and minor flag of every case of one
-- organisation. Through the organisation index that meant one visit to
-- the table per case (0.3 s for 100,000 cases on SQLite); this index
-- holds the three columns itself (docs/benchmarks.md).
CREATE INDEX cases_facts_idx ON cases (organisation_id, id, person_id, is_minor);
