-- The case list shows each case's origin, NRM status, sex, age bracket,
-- minor flag and forms of exploitation. With those columns only in the
-- table, each of the 25 rows of a page was a separate read of a table page
-- scattered over the file; with them in the list indexes a page is read
-- from one or two index pages (docs/benchmarks.md). SQLite has no INCLUDE,
-- so they follow the key columns.
DROP INDEX cases_list_idx;
DROP INDEX cases_list_filter_idx;
CREATE INDEX cases_list_idx ON cases (organisation_id, opened_on, code, sealed, id,
    status, origin, nrm_status, region, sex, age_bracket, is_minor, exploitation_types);
CREATE INDEX cases_list_filter_idx ON cases (organisation_id, status, region, opened_on, code,
    sealed, id, origin, nrm_status, sex, age_bracket, is_minor, exploitation_types);
-- The count of a user's sealed cases reads these columns too. Without them
-- here, SQLite preferred the covering list index above with only its
-- organisation column to search by, and read every case of the
-- organisation on each page.
DROP INDEX cases_sealed_idx;
CREATE INDEX cases_sealed_idx ON cases (sealed, organisation_id, status, nrm_status, region,
    origin, id);
