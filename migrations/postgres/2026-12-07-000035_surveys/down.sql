DROP TABLE survey_answers;
DROP TABLE survey_respondents;
DROP TABLE survey_questions;
DROP TABLE surveys;
