-- edupulse: student analytics (seed 002, schema v1.0) for PostgreSQL 13+.
-- The eight tables, every column, CHECK, UNIQUE and index exactly as the design document
-- writes them. Only change: uuid_generate_v4() is schema-qualified (public.) so the
-- defaults keep working whatever the search_path is.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

-- ---------------------------------------------------------------- core
CREATE TABLE students (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    district_id VARCHAR(50) UNIQUE NOT NULL,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    grade_level INTEGER CHECK (grade_level >= 0 AND grade_level <= 12),
    date_of_birth DATE NOT NULL,
    gender VARCHAR(10),
    ethnicity VARCHAR(100),
    socioeconomic_status VARCHAR(50),
    gpa REAL CHECK (gpa >= 0 AND gpa <= 4.0),
    attendance_rate REAL CHECK (attendance_rate >= 0 AND attendance_rate <= 1.0),
    parent_contact VARCHAR(200),
    enrollment_date DATE DEFAULT CURRENT_DATE,
    student_metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_students_district_id ON students(district_id);
CREATE INDEX idx_students_grade_level ON students(grade_level);
CREATE INDEX idx_students_enrollment_date ON students(enrollment_date);
CREATE INDEX idx_students_created_at ON students(created_at);

-- ---------------------------------------------------------------- history
CREATE TABLE attendance_records (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    student_id UUID REFERENCES students(id) ON DELETE CASCADE,
    date DATE NOT NULL,
    status VARCHAR(20) CHECK (status IN ('present', 'absent', 'tardy', 'excused')),
    period INTEGER,
    created_at TIMESTAMPTZ DEFAULT NOW(),

    UNIQUE(student_id, date, period)
);

CREATE INDEX idx_attendance_student_date ON attendance_records(student_id, date);
CREATE INDEX idx_attendance_date_status ON attendance_records(date, status);
CREATE INDEX idx_attendance_status ON attendance_records(status);

CREATE TABLE grades (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    student_id UUID REFERENCES students(id) ON DELETE CASCADE,
    course_id VARCHAR(50) NOT NULL,
    course_name VARCHAR(200),
    grade_value REAL CHECK (grade_value >= 0 AND grade_value <= 100),
    grade_letter VARCHAR(2),
    submission_date DATE NOT NULL,
    assignment_type VARCHAR(50),
    created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_grades_student_course ON grades(student_id, course_id);
CREATE INDEX idx_grades_submission_date ON grades(submission_date);
CREATE INDEX idx_grades_course_id ON grades(course_id);
CREATE INDEX idx_grades_assignment_type ON grades(assignment_type);

CREATE TABLE discipline_incidents (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    student_id UUID REFERENCES students(id) ON DELETE CASCADE,
    incident_date DATE NOT NULL,
    severity_level INTEGER CHECK (severity_level >= 1 AND severity_level <= 5),
    incident_type VARCHAR(100),
    description TEXT,
    resolution VARCHAR(200),
    created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_discipline_student_date ON discipline_incidents(student_id, incident_date);
CREATE INDEX idx_discipline_severity ON discipline_incidents(severity_level);
CREATE INDEX idx_discipline_type ON discipline_incidents(incident_type);

-- ---------------------------------------------------------------- ML and analytics
CREATE TABLE student_features (
    student_id UUID REFERENCES students(id) ON DELETE CASCADE,
    feature_date DATE NOT NULL,
    attendance_rate REAL CHECK (attendance_rate >= 0 AND attendance_rate <= 1),
    gpa_current REAL CHECK (gpa_current >= 0 AND gpa_current <= 5),
    discipline_incidents INTEGER CHECK (discipline_incidents >= 0) DEFAULT 0,
    feature_vector JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),

    PRIMARY KEY (student_id, feature_date),
    UNIQUE(student_id, feature_date)
);

CREATE INDEX idx_features_date ON student_features(feature_date);
CREATE INDEX idx_features_student_date ON student_features(student_id, feature_date);

CREATE TABLE predictions (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    student_id UUID REFERENCES students(id) ON DELETE CASCADE,
    prediction_date TIMESTAMPTZ DEFAULT NOW(),
    risk_score REAL CHECK (risk_score >= 0 AND risk_score <= 1),
    risk_category VARCHAR(20) CHECK (risk_category IN ('low', 'medium', 'high', 'critical')),
    confidence REAL CHECK (confidence >= 0 AND confidence <= 1),
    risk_factors JSONB DEFAULT '[]',
    model_version VARCHAR(50),
    created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_predictions_student ON predictions(student_id);
CREATE INDEX idx_predictions_date ON predictions(prediction_date);
CREATE INDEX idx_predictions_risk_category ON predictions(risk_category);
CREATE INDEX idx_predictions_model_version ON predictions(model_version);

CREATE TABLE training_feedback (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    prediction_id UUID REFERENCES predictions(id) ON DELETE CASCADE,
    outcome_date DATE,
    outcome_type VARCHAR(50),
    feedback_type VARCHAR(50) CHECK (
        feedback_type IN ('true_positive', 'false_positive', 'true_negative', 'false_negative')
    ),
    educator_notes TEXT,
    created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_feedback_prediction ON training_feedback(prediction_id);
CREATE INDEX idx_feedback_type ON training_feedback(feedback_type);
CREATE INDEX idx_feedback_outcome_date ON training_feedback(outcome_date);

-- ---------------------------------------------------------------- model management
-- predictions.model_version joins model_metadata.model_version by value only: the document
-- draws the relationship in its ERD but declares no foreign key, so neither do we.
CREATE TABLE model_metadata (
    id UUID PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    model_version VARCHAR(50) UNIQUE NOT NULL,
    model_type VARCHAR(50),
    training_date TIMESTAMPTZ DEFAULT NOW(),
    performance_metrics JSONB DEFAULT '{}',
    hyperparameters JSONB DEFAULT '{}',
    is_active BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_model_version ON model_metadata(model_version);
CREATE INDEX idx_model_active ON model_metadata(is_active);
CREATE INDEX idx_model_training_date ON model_metadata(training_date);
