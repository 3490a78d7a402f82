DROP TABLE received_activities;
DROP TABLE instances;
DROP TABLE deliveries;
DROP TABLE activities;
