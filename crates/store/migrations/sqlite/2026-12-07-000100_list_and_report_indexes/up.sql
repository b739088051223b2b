-- The case list and the AMIF report at scale.
-- The case list walks one organisation's cases newest first and counts
-- them under the list filters (docs/benchmarks.md). These indexes let it
-- read a page in index order instead of sorting every case, one for the
-- unfiltered list and one for the usual status and region filters. They
-- end with `sealed` and `id`, which the rule for sealed cases reads, so
-- that counting never visits the table.
CREATE INDEX cases_list_idx ON cases (organisation_id, opened_on, code, sealed, id);
CREATE INDEX cases_list_filter_idx ON cases (organisation_id, status, region, opened_on, code, sealed, id);

-- The AMIF report reads which lines of service each case received in a
-- period; this index answers that without visiting the service records.
CREATE INDEX service_records_period_idx ON service_records (occurred_on, case_id, line);
