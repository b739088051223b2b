DROP INDEX cases_facts_idx;
