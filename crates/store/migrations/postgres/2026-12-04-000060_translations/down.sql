DROP TABLE consent_forms;
DROP TABLE form_translations;
