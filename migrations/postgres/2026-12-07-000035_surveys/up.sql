-- A survey is a status (its title, its description, its community) with
-- questions: the rows below. Answers are anonymous: `survey_respondents` says
-- who answered (once each), `survey_answers` what was answered, and nothing
-- links the two (no actor column, no time; ids are random).
CREATE TABLE surveys (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    closes_at TIMESTAMP NOT NULL,
    results_to_respondents BOOLEAN NOT NULL
);
-- `kind`: single, multiple, scale (1 to 5) or text; `options`: a JSON array
-- of the choices' labels (empty for scale and text).
CREATE TABLE survey_questions (
    status_id BIGINT NOT NULL REFERENCES surveys (status_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    options TEXT NOT NULL,
    PRIMARY KEY (status_id, position)
);
CREATE TABLE survey_respondents (
    status_id BIGINT NOT NULL REFERENCES surveys (status_id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, actor_id)
);
-- One row per choice ticked, score given or text written.
CREATE TABLE survey_answers (
    id BIGINT PRIMARY KEY,
    status_id BIGINT NOT NULL REFERENCES surveys (status_id) ON DELETE CASCADE,
    question INTEGER NOT NULL,
    choice INTEGER,
    score INTEGER,
    text TEXT
);
CREATE INDEX survey_answers_status ON survey_answers (status_id, question);
