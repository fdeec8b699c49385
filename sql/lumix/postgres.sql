-- lumix: LumiX OS (seed 000) for PostgreSQL 13+.
-- The seed names tables and features but no columns; the columns below are seedload's design
-- (docs/schemas.md, "lumix"). Two schemas: auth (identity) and lumix (school data, telemetry).
-- Features the document requires: ENUM types, JSONB, uuid-ossp defaults, the
-- trigger_update_risk_level trigger, the log_system_action() function, ON DELETE CASCADE from
-- auth.users to lumix.students (and on to fee_records), indexes on user_id, risk_level and
-- timestamp.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

CREATE SCHEMA auth;
CREATE SCHEMA lumix;

-- ---------------------------------------------------------------- types
CREATE TYPE auth.user_role AS ENUM ('student', 'teacher', 'admin', 'parent');
CREATE TYPE lumix.enrollment_status AS ENUM ('active', 'graduated', 'transferred', 'withdrawn', 'suspended');
CREATE TYPE lumix.risk_level AS ENUM ('low', 'medium', 'high');
CREATE TYPE lumix.fee_status AS ENUM ('pending', 'paid', 'overdue', 'waived');
CREATE TYPE lumix.log_level AS ENUM ('debug', 'info', 'warning', 'error', 'critical');

-- ---------------------------------------------------------------- auth
-- Every actor (student, teacher, admin, parent) is one auth.users row.
CREATE TABLE auth.users (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    email VARCHAR(255) NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role auth.user_role NOT NULL DEFAULT 'student',
    full_name VARCHAR(200) NOT NULL,
    phone VARCHAR(30),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login TIMESTAMPTZ
);

CREATE INDEX idx_users_role ON auth.users (role);
CREATE INDEX idx_users_last_login ON auth.users (last_login);

-- ---------------------------------------------------------------- academics
-- A class is one course session: subject, grade, teacher, room and weekly timetable.
-- schedule: [{"day": "mon", "start": "08:00", "end": "08:45"}, ...]
CREATE TABLE lumix.classes (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    subject VARCHAR(80) NOT NULL,
    grade_level SMALLINT NOT NULL CHECK (grade_level BETWEEN 1 AND 12),
    teacher_id UUID REFERENCES auth.users (id) ON DELETE SET NULL,
    room VARCHAR(20),
    schedule JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(schedule) = 'array'),
    capacity SMALLINT NOT NULL DEFAULT 30 CHECK (capacity > 0),
    academic_year VARCHAR(9) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_classes_teacher_id ON lumix.classes (teacher_id);
CREATE INDEX idx_classes_grade_level ON lumix.classes (grade_level);

-- One student profile per auth user (1:1, unique user_id). gpa on the 0-4 scale;
-- attendance_rate is a percentage 0-100; behaviour_score 0-100. risk_level is computed by
-- trigger_update_risk_level whatever the writer supplies. notes may be NULL ("students with
-- no notes"); badges is a JSON array of badge objects ("multiple badges").
CREATE TABLE lumix.students (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    class_id UUID REFERENCES lumix.classes (id) ON DELETE SET NULL,
    guardian_id UUID REFERENCES auth.users (id) ON DELETE SET NULL,
    admission_number VARCHAR(20) NOT NULL UNIQUE,
    date_of_birth DATE,
    enrollment_date DATE NOT NULL DEFAULT CURRENT_DATE,
    enrollment_status lumix.enrollment_status NOT NULL DEFAULT 'active',
    gpa NUMERIC(3, 2) CHECK (gpa >= 0 AND gpa <= 4),
    attendance_rate NUMERIC(5, 2) CHECK (attendance_rate >= 0 AND attendance_rate <= 100),
    behaviour_score SMALLINT CHECK (behaviour_score >= 0 AND behaviour_score <= 100),
    risk_level lumix.risk_level NOT NULL DEFAULT 'low',
    notes TEXT,
    badges JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(badges) = 'array'),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX idx_students_user_id ON lumix.students (user_id);
CREATE INDEX idx_students_class_id ON lumix.students (class_id);
CREATE INDEX idx_students_guardian_id ON lumix.students (guardian_id);
CREATE INDEX idx_students_risk_level ON lumix.students (risk_level);

-- Risk rule (the same in sqlite.sql; a NULL metric never raises the level):
--   high   when gpa < 2.00 or attendance_rate < 75 or behaviour_score < 40
--   medium when gpa < 3.00 or attendance_rate < 90 or behaviour_score < 70
--   low    otherwise
CREATE FUNCTION lumix.update_risk_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.risk_level := CASE
        WHEN NEW.gpa < 2.0 OR NEW.attendance_rate < 75 OR NEW.behaviour_score < 40 THEN 'high'
        WHEN NEW.gpa < 3.0 OR NEW.attendance_rate < 90 OR NEW.behaviour_score < 70 THEN 'medium'
        ELSE 'low'
    END::lumix.risk_level;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_update_risk_level
    BEFORE INSERT OR UPDATE ON lumix.students
    FOR EACH ROW EXECUTE FUNCTION lumix.update_risk_level();

-- ---------------------------------------------------------------- finance
CREATE TABLE lumix.fee_records (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    student_id UUID NOT NULL REFERENCES lumix.students (id) ON DELETE CASCADE,
    fee_type VARCHAR(30) NOT NULL,
    description TEXT,
    amount NUMERIC(10, 2) NOT NULL CHECK (amount > 0),
    due_date DATE NOT NULL,
    paid_at TIMESTAMPTZ,
    status lumix.fee_status NOT NULL DEFAULT 'pending',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT fee_records_paid_has_paid_at CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);

CREATE INDEX idx_fee_records_student_id ON lumix.fee_records (student_id);
CREATE INDEX idx_fee_records_status_due_date ON lumix.fee_records (status, due_date);

-- ---------------------------------------------------------------- telemetry
-- Written by the AI agents (Nova, Astra, ...). Independent: no foreign keys.
CREATE TABLE lumix.system_logs (
    id BIGSERIAL PRIMARY KEY,
    agent_name VARCHAR(50) NOT NULL,
    action VARCHAR(100) NOT NULL,
    level lumix.log_level NOT NULL DEFAULT 'info',
    details JSONB NOT NULL DEFAULT '{}',
    timestamp TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_system_logs_timestamp ON lumix.system_logs (timestamp);
CREATE INDEX idx_system_logs_agent_timestamp ON lumix.system_logs (agent_name, timestamp);
CREATE INDEX idx_system_logs_level ON lumix.system_logs (level);

-- The one place agents record telemetry; returns the new log id.
-- p_level is text so callers need no cast; an unknown level fails the enum cast.
CREATE FUNCTION lumix.log_system_action(
    p_agent_name TEXT,
    p_action TEXT,
    p_level TEXT DEFAULT 'info',
    p_details JSONB DEFAULT '{}'
) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_id BIGINT;
BEGIN
    INSERT INTO lumix.system_logs (agent_name, action, level, details)
    VALUES (p_agent_name, p_action,
            COALESCE(p_level, 'info')::lumix.log_level,
            COALESCE(p_details, '{}'::jsonb))
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

-- ---------------------------------------------------------------- static reference data
CREATE TABLE lumix.library_books (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    isbn VARCHAR(17) NOT NULL UNIQUE,
    title VARCHAR(255) NOT NULL,
    author VARCHAR(200) NOT NULL,
    category VARCHAR(60),
    publisher VARCHAR(120),
    published_year SMALLINT CHECK (published_year BETWEEN 1450 AND 2100),
    copies_total SMALLINT NOT NULL DEFAULT 1 CHECK (copies_total >= 0),
    copies_available SMALLINT NOT NULL DEFAULT 1 CHECK (copies_available >= 0),
    shelf_location VARCHAR(20),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT library_books_available_le_total CHECK (copies_available <= copies_total)
);

CREATE INDEX idx_library_books_category ON lumix.library_books (category);

-- stops: [{"seq": 1, "name": "Main Gate", "time": "07:05"}, ...]
CREATE TABLE lumix.transport_routes (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    route_code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    driver_name VARCHAR(120),
    driver_phone VARCHAR(30),
    vehicle_number VARCHAR(20),
    capacity SMALLINT NOT NULL CHECK (capacity > 0),
    stops JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(stops) = 'array'),
    morning_departure TIME,
    afternoon_departure TIME,
    monthly_fee NUMERIC(8, 2) NOT NULL DEFAULT 0 CHECK (monthly_fee >= 0),
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);

-- ---------------------------------------------------------------- after the load
-- system_logs ids are loaded explicitly; move the sequence past them so
-- log_system_action() does not hand out an id that already exists.
-- seedload:post-load
SELECT setval(pg_get_serial_sequence('lumix.system_logs', 'id'), COALESCE((SELECT max(id) FROM lumix.system_logs), 0) + 1, false);
