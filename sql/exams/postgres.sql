-- exams: exam platform (seed 004) for PostgreSQL 15.
-- 3NF; UUID keys from gen_random_uuid() (core since PostgreSQL 13, no extension needed);
-- lower-cased unique email; 1:1 AI notes with a GIN-indexed key_concepts array; JSONB exam
-- config, question options and analytics; exam_attempts is an insert-only log.
-- Column types follow the ERD: "timestamp" -> TIMESTAMP (UTC by convention),
-- "timestamptz" -> TIMESTAMPTZ. See docs/schemas.md, "exams".

CREATE TYPE user_role AS ENUM ('STUDENT', 'ADMIN', 'INSTRUCTOR');

-- ---------------------------------------------------------------- identity
-- password_hash holds an Argon2 PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) NOT NULL CHECK (email = lower(email)),
    password_hash TEXT NOT NULL,
    role user_role NOT NULL DEFAULT 'STUDENT',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE UNIQUE INDEX idx_users_email ON users (email);

-- ---------------------------------------------------------------- content
CREATE TABLE courses (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    title VARCHAR(255) NOT NULL,
    description TEXT,
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX idx_courses_is_published ON courses (is_published);

-- content_url is an S3 object key.
CREATE TABLE lessons (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id UUID NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title VARCHAR(255) NOT NULL,
    content_url TEXT,
    order_index INTEGER NOT NULL DEFAULT 0 CHECK (order_index >= 0)
);

CREATE INDEX idx_lessons_course_id ON lessons (course_id);

-- ---------------------------------------------------------------- AI artifacts
-- At most one note per lesson (UNIQUE lesson_id). key_concepts is a structured array, e.g.
-- [{"term": "Thermodynamics", "weight": 0.9}, ...]; "find all notes mentioning X" is
--   WHERE key_concepts @> '[{"term": "Thermodynamics"}]'   (served by the GIN index)
CREATE TABLE ai_notes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id UUID NOT NULL UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    summary_markdown TEXT,
    key_concepts JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(key_concepts) = 'array'),
    generated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX idx_ai_notes_key_concepts ON ai_notes USING gin (key_concepts jsonb_path_ops);

-- ---------------------------------------------------------------- assessment
-- config: adaptive settings, e.g. {"adaptive": true, "shuffle": true, "question_pool": 40}.
-- analytics: evolving aggregate metrics (schema-on-read), e.g. {"attempts": 120, "pass_rate": 0.7}.
CREATE TABLE exams (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id UUID NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title VARCHAR(255) NOT NULL,
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds > 0),
    passing_score_percent INTEGER NOT NULL CHECK (passing_score_percent BETWEEN 0 AND 100),
    config JSONB NOT NULL DEFAULT '{}',
    analytics JSONB NOT NULL DEFAULT '{}'
);

CREATE INDEX idx_exams_course_id ON exams (course_id);

-- Question bank per exam. options: [{"key": "A", "text": "...", "correct": false}, ...]
CREATE TABLE questions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id UUID NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    order_index INTEGER NOT NULL CHECK (order_index >= 0),
    prompt TEXT NOT NULL,
    options JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    points INTEGER NOT NULL DEFAULT 1 CHECK (points > 0),
    UNIQUE (exam_id, order_index)
);

-- Immutable log: one row per attempt, written once. score is a percentage (compared with
-- exams.passing_score_percent). answer_sheet snapshots the questions and answers as they
-- were at exam time. RESTRICT: a historical fact keeps its exam and user.
CREATE TABLE exam_attempts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id UUID NOT NULL REFERENCES exams (id) ON DELETE RESTRICT,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    score INTEGER CHECK (score BETWEEN 0 AND 100),
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at TIMESTAMPTZ,
    answer_sheet JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT exam_attempts_completed_after_start CHECK (completed_at IS NULL OR completed_at >= started_at)
);

CREATE INDEX idx_exam_attempts_exam_id ON exam_attempts (exam_id);
CREATE INDEX idx_exam_attempts_user_id ON exam_attempts (user_id);

-- Insert-only: any UPDATE or DELETE of a row is rejected. TRUNCATE and DROP (how seedload
-- replaces a dataset) are statement-level and stay allowed.
CREATE FUNCTION exam_attempts_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'exam_attempts is insert-only: % of attempt % rejected', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER exam_attempts_insert_only
    BEFORE UPDATE OR DELETE ON exam_attempts
    FOR EACH ROW EXECUTE FUNCTION exam_attempts_reject_change();
