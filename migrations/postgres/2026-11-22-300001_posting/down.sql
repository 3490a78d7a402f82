DROP TABLE idempotency_keys;
DROP TABLE status_applications;
