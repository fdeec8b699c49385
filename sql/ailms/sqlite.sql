-- ailms: AI LMS (seed 001) ported to SQLite 3.40.
-- Same tables, columns, CHECKs, foreign keys and indexes as postgres.sql.
-- Dialect mapping: ENUM -> TEXT CHECK (col IN (...)); JSONB -> JSON CHECK (json_valid(col)), written
-- CHECK (col IS NULL OR json_valid(col)) when nullable (json_valid(NULL) is 0 in SQLite 3.40);
-- identity -> INTEGER PRIMARY KEY (rowid alias: max(id)+1 after an explicit load, so no
-- sequence fix-up is needed); DOUBLE PRECISION -> REAL; TIMESTAMPTZ -> DATETIME text
-- 'YYYY-MM-DD HH:MM:SS' UTC.

-- ---------------------------------------------------------------- identity
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    full_name VARCHAR(200) NOT NULL,
    role TEXT NOT NULL DEFAULT 'student' CHECK (role IN ('student', 'lecturer', 'super_admin')),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    settings JSON NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_users_role ON users (role);

-- ---------------------------------------------------------------- courses
CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    code VARCHAR(20) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    lecturer_id INTEGER NOT NULL REFERENCES users (id),
    semester VARCHAR(20),
    credits SMALLINT CHECK (credits > 0),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_courses_lecturer_id ON courses (lecturer_id);

CREATE TABLE syllabus (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    week_number SMALLINT NOT NULL CHECK (week_number BETWEEN 1 AND 52),
    topic VARCHAR(255) NOT NULL,
    description TEXT,
    learning_outcomes JSON NOT NULL DEFAULT '[]' CHECK (json_valid(learning_outcomes)),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (course_id, week_number)
);

CREATE TABLE materials (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    syllabus_id INTEGER REFERENCES syllabus (id) ON DELETE SET NULL,
    title VARCHAR(255) NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('pdf', 'video', 'slides', 'link', 'document')),
    source TEXT NOT NULL DEFAULT 'uploaded' CHECK (source IN ('uploaded', 'crawled')),
    url TEXT NOT NULL,
    file_size_bytes BIGINT CHECK (file_size_bytes >= 0),
    metadata JSON NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_materials_course_id ON materials (course_id);
CREATE INDEX ix_materials_syllabus_id ON materials (syllabus_id);

-- ---------------------------------------------------------------- performance
CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    week_number SMALLINT CHECK (week_number BETWEEN 1 AND 52),
    questions JSON NOT NULL DEFAULT '[]' CHECK (json_valid(questions)),
    answers JSON CHECK (answers IS NULL OR json_valid(answers)),
    score REAL NOT NULL CHECK (score >= 0),
    max_score REAL NOT NULL DEFAULT 100 CHECK (max_score > 0),
    feedback TEXT,
    started_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    completed_at DATETIME,
    CONSTRAINT quiz_attempts_score_le_max CHECK (score <= max_score),
    CONSTRAINT quiz_attempts_completed_after_start CHECK (completed_at IS NULL OR completed_at >= started_at)
);

CREATE INDEX ix_quiz_attempts_student_id ON quiz_attempts (student_id);
CREATE INDEX ix_quiz_attempts_course_id ON quiz_attempts (course_id);

CREATE TABLE topic_performance (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    week_number SMALLINT NOT NULL CHECK (week_number BETWEEN 1 AND 52),
    topic VARCHAR(255),
    mastery_level TEXT NOT NULL DEFAULT 'in_progress' CHECK (mastery_level IN ('mastered', 'in_progress', 'remedial')),
    average_score REAL CHECK (average_score >= 0 AND average_score <= 100),
    attempts_count INTEGER NOT NULL DEFAULT 0 CHECK (attempts_count >= 0),
    last_attempt_at DATETIME,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_topic_performance_student_course_week ON topic_performance (student_id, course_id, week_number);
CREATE INDEX ix_topic_performance_course_id ON topic_performance (course_id);

-- ---------------------------------------------------------------- enrollments (many-to-many)
CREATE TABLE student_enrollments (
    student_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrolled_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (student_id, course_id)
);

CREATE INDEX ix_student_enrollments_course_id ON student_enrollments (course_id);
