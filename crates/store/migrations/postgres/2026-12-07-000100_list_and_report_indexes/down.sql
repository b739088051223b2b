DROP INDEX service_records_period_idx;
DROP INDEX cases_list_filter_idx;
DROP INDEX cases_list_idx;
