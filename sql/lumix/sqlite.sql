-- lumix: LumiX OS (seed 000) ported to SQLite 3.40.
-- SQLite has no schemas inside one file, so auth.users becomes auth_users and lumix.x
-- becomes lumix_x. Same columns, CHECKs, foreign keys and indexes as postgres.sql.
-- Dialect mapping (see docs/schemas.md):
--   UUID        -> TEXT, 36-character canonical form; DEFAULT builds a random v4 UUID
--   ENUM        -> TEXT with CHECK (col IN (...)), values in the PostgreSQL enum's order
--   JSONB       -> JSON text with CHECK (json_valid(col)) (+ json_type for arrays)
--   NUMERIC     -> REAL; TIMESTAMPTZ -> DATETIME text 'YYYY-MM-DD HH:MM:SS' UTC; TIME -> 'HH:MM:SS'
--   BIGSERIAL   -> INTEGER PRIMARY KEY AUTOINCREMENT (ids never reused, as a sequence)
--   trigger_update_risk_level -> two AFTER triggers that rewrite risk_level when it differs
--   log_system_action()       -> the view lumix_log_system_action with an INSTEAD OF INSERT
--                                trigger; reading the view returns the row just logged (its id)

-- ---------------------------------------------------------------- auth
CREATE TABLE auth_users (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    email VARCHAR(255) NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'student' CHECK (role IN ('student', 'teacher', 'admin', 'parent')),
    full_name VARCHAR(200) NOT NULL,
    phone VARCHAR(30),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_login DATETIME
);

CREATE INDEX idx_users_role ON auth_users (role);
CREATE INDEX idx_users_last_login ON auth_users (last_login);

-- ---------------------------------------------------------------- academics
CREATE TABLE lumix_classes (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    subject VARCHAR(80) NOT NULL,
    grade_level SMALLINT NOT NULL CHECK (grade_level BETWEEN 1 AND 12),
    teacher_id TEXT REFERENCES auth_users (id) ON DELETE SET NULL,
    room VARCHAR(20),
    schedule JSON NOT NULL DEFAULT '[]' CHECK (json_valid(schedule) AND json_type(schedule) = 'array'),
    capacity SMALLINT NOT NULL DEFAULT 30 CHECK (capacity > 0),
    academic_year VARCHAR(9) NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_classes_teacher_id ON lumix_classes (teacher_id);
CREATE INDEX idx_classes_grade_level ON lumix_classes (grade_level);

CREATE TABLE lumix_students (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    user_id TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    class_id TEXT REFERENCES lumix_classes (id) ON DELETE SET NULL,
    guardian_id TEXT REFERENCES auth_users (id) ON DELETE SET NULL,
    admission_number VARCHAR(20) NOT NULL UNIQUE,
    date_of_birth DATE,
    enrollment_date DATE NOT NULL DEFAULT CURRENT_DATE,
    enrollment_status TEXT NOT NULL DEFAULT 'active' CHECK (enrollment_status IN ('active', 'graduated', 'transferred', 'withdrawn', 'suspended')),
    gpa REAL CHECK (gpa >= 0 AND gpa <= 4),
    attendance_rate REAL CHECK (attendance_rate >= 0 AND attendance_rate <= 100),
    behaviour_score SMALLINT CHECK (behaviour_score >= 0 AND behaviour_score <= 100),
    risk_level TEXT NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high')),
    notes TEXT,
    badges JSON NOT NULL DEFAULT '[]' CHECK (json_valid(badges) AND json_type(badges) = 'array'),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX idx_students_user_id ON lumix_students (user_id);
CREATE INDEX idx_students_class_id ON lumix_students (class_id);
CREATE INDEX idx_students_guardian_id ON lumix_students (guardian_id);
CREATE INDEX idx_students_risk_level ON lumix_students (risk_level);

-- trigger_update_risk_level: SQLite cannot assign NEW.* in a BEFORE trigger, so the row is
-- corrected right after it is written. Same rule as postgres.sql:
--   high   when gpa < 2.00 or attendance_rate < 75 or behaviour_score < 40
--   medium when gpa < 3.00 or attendance_rate < 90 or behaviour_score < 70
--   low    otherwise
-- The WHEN clause makes the UPDATE happen only when the stored level is wrong, so a loader
-- that already writes the computed level pays nothing, and with recursive_triggers ON the
-- inner UPDATE re-fires the update trigger once, finds the level right and stops.
CREATE TRIGGER trigger_update_risk_level_insert
AFTER INSERT ON lumix_students
FOR EACH ROW
WHEN NEW.risk_level IS NOT (CASE
        WHEN NEW.gpa < 2.0 OR NEW.attendance_rate < 75 OR NEW.behaviour_score < 40 THEN 'high'
        WHEN NEW.gpa < 3.0 OR NEW.attendance_rate < 90 OR NEW.behaviour_score < 70 THEN 'medium'
        ELSE 'low' END)
BEGIN
    UPDATE lumix_students
       SET risk_level = (CASE
            WHEN NEW.gpa < 2.0 OR NEW.attendance_rate < 75 OR NEW.behaviour_score < 40 THEN 'high'
            WHEN NEW.gpa < 3.0 OR NEW.attendance_rate < 90 OR NEW.behaviour_score < 70 THEN 'medium'
            ELSE 'low' END)
     WHERE id = NEW.id;
END;

CREATE TRIGGER trigger_update_risk_level_update
AFTER UPDATE ON lumix_students
FOR EACH ROW
WHEN NEW.risk_level IS NOT (CASE
        WHEN NEW.gpa < 2.0 OR NEW.attendance_rate < 75 OR NEW.behaviour_score < 40 THEN 'high'
        WHEN NEW.gpa < 3.0 OR NEW.attendance_rate < 90 OR NEW.behaviour_score < 70 THEN 'medium'
        ELSE 'low' END)
BEGIN
    UPDATE lumix_students
       SET risk_level = (CASE
            WHEN NEW.gpa < 2.0 OR NEW.attendance_rate < 75 OR NEW.behaviour_score < 40 THEN 'high'
            WHEN NEW.gpa < 3.0 OR NEW.attendance_rate < 90 OR NEW.behaviour_score < 70 THEN 'medium'
            ELSE 'low' END)
     WHERE id = NEW.id;
END;

-- ---------------------------------------------------------------- finance
CREATE TABLE lumix_fee_records (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    student_id TEXT NOT NULL REFERENCES lumix_students (id) ON DELETE CASCADE,
    fee_type VARCHAR(30) NOT NULL,
    description TEXT,
    amount REAL NOT NULL CHECK (amount > 0),
    due_date DATE NOT NULL,
    paid_at DATETIME,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'overdue', 'waived')),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fee_records_paid_has_paid_at CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);

CREATE INDEX idx_fee_records_student_id ON lumix_fee_records (student_id);
CREATE INDEX idx_fee_records_status_due_date ON lumix_fee_records (status, due_date);

-- ---------------------------------------------------------------- telemetry
CREATE TABLE lumix_system_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_name VARCHAR(50) NOT NULL,
    action VARCHAR(100) NOT NULL,
    level TEXT NOT NULL DEFAULT 'info' CHECK (level IN ('debug', 'info', 'warning', 'error', 'critical')),
    details JSON NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
    timestamp DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_system_logs_timestamp ON lumix_system_logs (timestamp);
CREATE INDEX idx_system_logs_agent_timestamp ON lumix_system_logs (agent_name, timestamp);
CREATE INDEX idx_system_logs_level ON lumix_system_logs (level);

-- log_system_action(agent, action, level, details) -> id, emulated:
--   INSERT INTO lumix_log_system_action (agent_name, action, level, details) VALUES (...);
--   SELECT id FROM lumix_log_system_action;   -- the id just allocated (same transaction)
-- last_insert_rowid() and RETURNING cannot see rows written by an INSTEAD OF trigger, so the
-- view reads the AUTOINCREMENT counter instead. level and details default like the function's.
CREATE VIEW lumix_log_system_action AS
    SELECT id, agent_name, action, level, details
      FROM lumix_system_logs
     WHERE id = (SELECT seq FROM sqlite_sequence WHERE name = 'lumix_system_logs');

CREATE TRIGGER lumix_log_system_action_insert
INSTEAD OF INSERT ON lumix_log_system_action
FOR EACH ROW
BEGIN
    INSERT INTO lumix_system_logs (agent_name, action, level, details)
    VALUES (NEW.agent_name, NEW.action, COALESCE(NEW.level, 'info'), COALESCE(NEW.details, '{}'));
END;

-- ---------------------------------------------------------------- static reference data
CREATE TABLE lumix_library_books (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    isbn VARCHAR(17) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    author VARCHAR(200) NOT NULL,
    category VARCHAR(60),
    publisher VARCHAR(120),
    published_year SMALLINT CHECK (published_year BETWEEN 1450 AND 2100),
    copies_total SMALLINT NOT NULL DEFAULT 1 CHECK (copies_total >= 0),
    copies_available SMALLINT NOT NULL DEFAULT 1 CHECK (copies_available >= 0),
    shelf_location VARCHAR(20),
    added_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT library_books_available_le_total CHECK (copies_available <= copies_total)
);

CREATE INDEX idx_library_books_category ON lumix_library_books (category);

CREATE TABLE lumix_transport_routes (
    id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    route_code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    driver_name VARCHAR(120),
    driver_phone VARCHAR(30),
    vehicle_number VARCHAR(20),
    capacity SMALLINT NOT NULL CHECK (capacity > 0),
    stops JSON NOT NULL DEFAULT '[]' CHECK (json_valid(stops) AND json_type(stops) = 'array'),
    morning_departure TIME,
    afternoon_departure TIME,
    monthly_fee REAL NOT NULL DEFAULT 0 CHECK (monthly_fee >= 0),
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
