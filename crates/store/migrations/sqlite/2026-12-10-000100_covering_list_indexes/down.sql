DROP INDEX cases_sealed_idx;
DROP INDEX cases_list_filter_idx;
DROP INDEX cases_list_idx;
CREATE INDEX cases_list_idx ON cases (organisation_id, opened_on, code, sealed, id);
CREATE INDEX cases_list_filter_idx ON cases (organisation_id, status, region, opened_on, code, sealed, id);
CREATE INDEX cases_sealed_idx ON cases (sealed, organisation_id);
