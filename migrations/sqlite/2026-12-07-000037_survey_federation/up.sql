-- A survey held for another server (a partner Passerelle's): the aggregate
-- results its origin shares with respondents, as JSON (respondents and one
-- tally per question). NULL for our own surveys, whose results are counted
-- here from `survey_answers`, and when the origin shares none.
ALTER TABLE surveys ADD COLUMN remote_results TEXT;
