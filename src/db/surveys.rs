//! Surveys (a status with questions), who responded, and the answers. The
//! answers carry no actor: who answered what is never stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{survey_answers, survey_questions, survey_respondents, surveys},
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys)]
pub struct Survey {
    pub status_id: i64,
    pub closes_at: NaiveDateTime,
    /// Respondents see the results after answering; otherwise only the author.
    pub results_to_respondents: bool,
    /// Another server's survey: the aggregate results it shares, as JSON
    /// (`service::surveys::remote`). None for ours.
    pub remote_results: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_questions)]
pub struct Question {
    pub status_id: i64,
    pub position: i32,
    /// single, multiple, scale or text.
    pub kind: String,
    pub prompt: String,
    /// The choices' labels as a JSON array (empty for scale and text).
    pub options: String,
}

/// One choice ticked, score given or text written, by nobody in particular.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_answers)]
pub struct AnswerRow {
    pub id: i64,
    pub status_id: i64,
    pub question: i32,
    pub choice: Option<i32>,
    pub score: Option<i32>,
    pub text: Option<String>,
}

pub fn insert(conn: &mut DbConn, s: &Survey, questions: &[Question]) -> QueryResult<()> {
    diesel::insert_into(surveys::table)
        .values(s)
        .execute(conn)?;
    // One row at a time: batch inserts do not go through both backends alike.
    for q in questions {
        diesel::insert_into(survey_questions::table)
            .values(q)
            .execute(conn)?;
    }
    Ok(())
}

/// Another server's survey changed: its closing time and who sees results
/// (its questions stay as first received), and the results it now shares.
pub fn set_remote(conn: &mut DbConn, s: &Survey) -> QueryResult<()> {
    diesel::update(surveys::table.find(s.status_id))
        .set((
            surveys::closes_at.eq(s.closes_at),
            surveys::results_to_respondents.eq(s.results_to_respondents),
            surveys::remote_results.eq(&s.remote_results),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn by_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<Survey>> {
    surveys::table
        .find(status_id)
        .select(Survey::as_select())
        .first(conn)
        .optional()
}

pub fn by_status_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Survey>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    surveys::table
        .filter(surveys::status_id.eq_any(ids))
        .select(Survey::as_select())
        .load(conn)
}

pub fn questions(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Question>> {
    survey_questions::table
        .filter(survey_questions::status_id.eq(status_id))
        .order(survey_questions::position.asc())
        .select(Question::as_select())
        .load(conn)
}

pub fn has_responded(conn: &mut DbConn, status_id: i64, actor_id: i64) -> QueryResult<bool> {
    let n: i64 = survey_respondents::table
        .find((status_id, actor_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn respondent_count(conn: &mut DbConn, status_id: i64) -> QueryResult<i64> {
    survey_respondents::table
        .filter(survey_respondents::status_id.eq(status_id))
        .count()
        .get_result(conn)
}

/// Records that `actor_id` responded and what was answered, apart.
pub fn respond(
    conn: &mut DbConn,
    status_id: i64,
    actor_id: i64,
    answers: &[AnswerRow],
) -> QueryResult<()> {
    diesel::insert_into(survey_respondents::table)
        .values((
            survey_respondents::status_id.eq(status_id),
            survey_respondents::actor_id.eq(actor_id),
        ))
        .execute(conn)?;
    for a in answers {
        diesel::insert_into(survey_answers::table)
            .values(a)
            .execute(conn)?;
    }
    Ok(())
}

/// Every answer to a survey, by question then content (never in the order given).
pub fn answers(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<AnswerRow>> {
    survey_answers::table
        .filter(survey_answers::status_id.eq(status_id))
        .order((
            survey_answers::question.asc(),
            survey_answers::choice.asc(),
            survey_answers::score.asc(),
            survey_answers::text.asc(),
        ))
        .select(AnswerRow::as_select())
        .load(conn)
}

/// A community's live surveys, newest first.
pub fn in_community(
    conn: &mut DbConn,
    community_id: i64,
    limit: i64,
) -> QueryResult<Vec<(Survey, super::statuses::Status)>> {
    use super::schema::statuses;
    surveys::table
        .inner_join(statuses::table)
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::deleted_at.is_null())
        .order(statuses::id.desc())
        .limit(limit)
        .select((Survey::as_select(), super::statuses::Status::as_select()))
        .load(conn)
}
