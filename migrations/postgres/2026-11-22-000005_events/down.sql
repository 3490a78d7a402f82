DROP TABLE federation_partners;
DROP TABLE calendar_tokens;
DROP TABLE event_search_grams;
DROP TABLE event_participants;
DROP TABLE events;
DROP TABLE event_series;
