-- The case list shows each case's origin, NRM status, sex, age bracket,
-- minor flag and forms of exploitation. With those columns in the list
-- indexes a page is an index-only scan instead of 25 reads of table pages
-- scattered over the table (docs/benchmarks.md).
DROP INDEX cases_list_idx;
DROP INDEX cases_list_filter_idx;
CREATE INDEX cases_list_idx ON cases (organisation_id, opened_on, code)
    INCLUDE (sealed, id, status, origin, nrm_status, region, sex, age_bracket, is_minor,
             exploitation_types);
CREATE INDEX cases_list_filter_idx ON cases (organisation_id, status, region, opened_on, code)
    INCLUDE (sealed, id, origin, nrm_status, sex, age_bracket, is_minor, exploitation_types);
-- The count of a user's sealed cases reads these columns too.
DROP INDEX cases_sealed_idx;
CREATE INDEX cases_sealed_idx ON cases (sealed, organisation_id)
    INCLUDE (status, nrm_status, region, origin, id);
