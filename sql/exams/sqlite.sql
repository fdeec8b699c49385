-- exams: exam platform (seed 004) ported to SQLite 3.40.
-- Same tables, columns, CHECKs, foreign keys and indexes as postgres.sql, except the GIN
-- index on ai_notes.key_concepts, which SQLite has no equivalent for (JSON1 queries scan;
-- see docs/schemas.md). Dialect mapping: UUID -> TEXT (36-character canonical form, random
-- v4 DEFAULT); ENUM -> CHECK (col IN (...)); JSONB -> JSON CHECK (json_valid(col));
-- TIMESTAMP/TIMESTAMPTZ -> DATETIME text 'YYYY-MM-DD HH:MM:SS' UTC.

-- ---------------------------------------------------------------- identity
CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    email VARCHAR(255) NOT NULL CHECK (email = lower(email)),
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'STUDENT' CHECK (role IN ('STUDENT', 'ADMIN', 'INSTRUCTOR')),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX idx_users_email ON users (email);

-- ---------------------------------------------------------------- content
CREATE TABLE courses (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    title VARCHAR(255) NOT NULL,
    description TEXT,
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_courses_is_published ON courses (is_published);

CREATE TABLE lessons (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title VARCHAR(255) NOT NULL,
    content_url TEXT,
    order_index INTEGER NOT NULL DEFAULT 0 CHECK (order_index >= 0)
);

CREATE INDEX idx_lessons_course_id ON lessons (course_id);

-- ---------------------------------------------------------------- AI artifacts
-- Concept search without GIN, through JSON1:
--   SELECT n.* FROM ai_notes n
--    WHERE EXISTS (SELECT 1 FROM json_each(n.key_concepts) c
--                   WHERE json_extract(c.value, '$.term') = 'Thermodynamics');
CREATE TABLE ai_notes (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    lesson_id TEXT NOT NULL UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    summary_markdown TEXT,
    key_concepts JSON NOT NULL DEFAULT '[]' CHECK (json_valid(key_concepts) AND json_type(key_concepts) = 'array'),
    generated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- ---------------------------------------------------------------- assessment
CREATE TABLE exams (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title VARCHAR(255) NOT NULL,
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds > 0),
    passing_score_percent INTEGER NOT NULL CHECK (passing_score_percent BETWEEN 0 AND 100),
    config JSON NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    analytics JSON NOT NULL DEFAULT '{}' CHECK (json_valid(analytics))
);

CREATE INDEX idx_exams_course_id ON exams (course_id);

CREATE TABLE questions (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    exam_id TEXT NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    order_index INTEGER NOT NULL CHECK (order_index >= 0),
    prompt TEXT NOT NULL,
    options JSON NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    points INTEGER NOT NULL DEFAULT 1 CHECK (points > 0),
    UNIQUE (exam_id, order_index)
);

CREATE TABLE exam_attempts (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    exam_id TEXT NOT NULL REFERENCES exams (id) ON DELETE RESTRICT,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    score INTEGER CHECK (score BETWEEN 0 AND 100),
    started_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    completed_at DATETIME,
    answer_sheet JSON NOT NULL DEFAULT '{}' CHECK (json_valid(answer_sheet)),
    CONSTRAINT exam_attempts_completed_after_start CHECK (completed_at IS NULL OR completed_at >= started_at)
);

CREATE INDEX idx_exam_attempts_exam_id ON exam_attempts (exam_id);
CREATE INDEX idx_exam_attempts_user_id ON exam_attempts (user_id);

-- Insert-only, as in postgres.sql: UPDATE and DELETE of a row abort. (DROP TABLE, which is
-- how seedload replaces a dataset, does not fire row triggers in SQLite either.)
CREATE TRIGGER exam_attempts_insert_only_update
BEFORE UPDATE ON exam_attempts
FOR EACH ROW
BEGIN
    SELECT RAISE(ABORT, 'exam_attempts is insert-only: UPDATE rejected');
END;

CREATE TRIGGER exam_attempts_insert_only_delete
BEFORE DELETE ON exam_attempts
FOR EACH ROW
BEGIN
    SELECT RAISE(ABORT, 'exam_attempts is insert-only: DELETE rejected');
END;
