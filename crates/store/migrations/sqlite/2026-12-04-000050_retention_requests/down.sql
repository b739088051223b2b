DROP TABLE data_requests;
DROP TABLE case_anonymisations;
