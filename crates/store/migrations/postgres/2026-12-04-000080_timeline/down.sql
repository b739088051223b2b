DROP TABLE witness_statuses;
