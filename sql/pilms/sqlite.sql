-- pilms: Pi-LMS (seed 003) for SQLite 3.40, its primary database.
-- The document's PRAGMAs first (page_size before anything touches the file, so it can still
-- take effect; PRAGMA optimize and ANALYZE are left to seedload, which runs them at the end).
-- Then all fifteen tables: the ten the document writes as CREATE TABLE, verbatim apart from the
-- additions below, and the five it draws only in its ERD (assignments, submissions,
-- chat_sessions, quiz_attempts, notifications), written from every ERD column.
-- Departures (details in docs/schemas.md, "pilms"):
--   * courses.category INTEGER -> course_categories(id) ON DELETE SET NULL: the document
--     indexes courses(category) and draws "course belongs to category", but its CREATE TABLE
--     has no such column. Appended as the last column.
--   * every JSON column gets a json_valid CHECK, so SQLite rejects what PostgreSQL's JSONB
--     rejects: CHECK (col IS NULL OR json_valid(col)) where nullable (json_valid(NULL) is 0
--     in SQLite 3.40), CHECK (json_valid(col)) where NOT NULL.
--   * tables are ordered parents-first (the document creates courses before media).
--   * extra indexes on the ERD-only tables' foreign keys (quiz_attempts, notifications).

PRAGMA page_size = 4096;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -64000;
PRAGMA temp_store = MEMORY;
PRAGMA mmap_size = 268435456;
PRAGMA foreign_keys = ON;
PRAGMA recursive_triggers = ON;
PRAGMA busy_timeout = 30000;

-- ---------------------------------------------------------------- core tables
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) UNIQUE NOT NULL,
    firstName VARCHAR(100) NOT NULL,
    lastName VARCHAR(100) NOT NULL,
    role VARCHAR(20) CHECK(role IN ('admin', 'instructor', 'student')) DEFAULT 'student',
    passwordHash VARCHAR(255) NOT NULL,
    isActive BOOLEAN DEFAULT TRUE,
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    lastLoginAt DATETIME,
    preferences JSON CHECK (preferences IS NULL OR json_valid(preferences)),
    profileImage VARCHAR(255),
    phoneNumber VARCHAR(20),
    dateOfBirth DATE,
    bio TEXT,
    socialLinks JSON CHECK (socialLinks IS NULL OR json_valid(socialLinks))
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filename VARCHAR(255) NOT NULL,
    storedFilename VARCHAR(255) NOT NULL,
    mimetype VARCHAR(100) NOT NULL,
    filesize INTEGER NOT NULL,
    alt VARCHAR(500),
    mediaType VARCHAR(20) CHECK(mediaType IN ('image', 'audio', 'video', 'document', 'archive')) NOT NULL,
    metadata JSON CHECK (metadata IS NULL OR json_valid(metadata)),
    uploadedBy VARCHAR(100),
    processingStatus JSON CHECK (processingStatus IS NULL OR json_valid(processingStatus)),
    thumbnail VARCHAR(255),
    isPublic BOOLEAN DEFAULT FALSE,
    accessControl JSON CHECK (accessControl IS NULL OR json_valid(accessControl)),
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE course_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    slug VARCHAR(100) UNIQUE NOT NULL,
    description TEXT,
    icon VARCHAR(50),
    color VARCHAR(7), -- Hex color code
    parentCategory INTEGER,
    sortOrder INTEGER DEFAULT 0,
    isActive BOOLEAN DEFAULT TRUE,
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (parentCategory) REFERENCES course_categories(id) ON DELETE SET NULL
);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    syllabus TEXT,
    instructor INTEGER NOT NULL,
    startDate DATE NOT NULL,
    endDate DATE,
    published BOOLEAN DEFAULT FALSE,
    image INTEGER,
    metadata JSON CHECK (metadata IS NULL OR json_valid(metadata)),
    maxStudents INTEGER DEFAULT 50,
    status VARCHAR(20) CHECK(status IN ('draft', 'active', 'archived', 'completed')) DEFAULT 'draft',
    difficulty VARCHAR(20) CHECK(difficulty IN ('beginner', 'intermediate', 'advanced')) DEFAULT 'beginner',
    prerequisites JSON CHECK (prerequisites IS NULL OR json_valid(prerequisites)),
    learningObjectives JSON CHECK (learningObjectives IS NULL OR json_valid(learningObjectives)),
    estimatedHours FLOAT,
    tags JSON CHECK (tags IS NULL OR json_valid(tags)),
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    category INTEGER,
    FOREIGN KEY (instructor) REFERENCES users(id) ON DELETE RESTRICT,
    FOREIGN KEY (image) REFERENCES media(id) ON DELETE SET NULL,
    FOREIGN KEY (category) REFERENCES course_categories(id) ON DELETE SET NULL
);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title VARCHAR(255) NOT NULL,
    summary TEXT,
    content JSON NOT NULL CHECK (json_valid(content)),
    narration TEXT,
    audioFile VARCHAR(255),
    published BOOLEAN DEFAULT FALSE,
    course INTEGER NOT NULL,
    orderIndex INTEGER DEFAULT 0,
    estimatedMinutes INTEGER DEFAULT 30,
    objectives JSON CHECK (objectives IS NULL OR json_valid(objectives)),
    keywords JSON CHECK (keywords IS NULL OR json_valid(keywords)),
    difficulty VARCHAR(10) CHECK(difficulty IN ('easy', 'medium', 'hard')) DEFAULT 'medium',
    prerequisites JSON CHECK (prerequisites IS NULL OR json_valid(prerequisites)),
    allowComments BOOLEAN DEFAULT TRUE,
    trackProgress BOOLEAN DEFAULT TRUE,
    aiMetadata JSON CHECK (aiMetadata IS NULL OR json_valid(aiMetadata)),
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    publishedAt DATETIME,
    FOREIGN KEY (course) REFERENCES courses(id) ON DELETE CASCADE
);

CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER NOT NULL,
    course INTEGER NOT NULL,
    enrolledAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    status VARCHAR(20) CHECK(status IN ('active', 'completed', 'withdrawn', 'suspended')) DEFAULT 'active',
    progressPercentage FLOAT DEFAULT 0.0 CHECK(progressPercentage >= 0 AND progressPercentage <= 100),
    completedAt DATETIME,
    lastAccessedAt DATETIME,
    metadata JSON CHECK (metadata IS NULL OR json_valid(metadata)),
    finalGrade FLOAT,
    certificateData TEXT,
    notificationsEnabled BOOLEAN DEFAULT TRUE,
    customFields JSON CHECK (customFields IS NULL OR json_valid(customFields)),
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE,
    FOREIGN KEY (course) REFERENCES courses(id) ON DELETE CASCADE,
    UNIQUE(user, course)
);

-- notes is TEXT as in the document's CREATE TABLE (its ERD says json).
CREATE TABLE progress (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER NOT NULL,
    lesson INTEGER NOT NULL,
    course INTEGER NOT NULL,
    completionPercentage FLOAT DEFAULT 0.0 CHECK(completionPercentage >= 0 AND completionPercentage <= 100),
    timeSpentSeconds INTEGER DEFAULT 0,
    startedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    lastAccessed DATETIME DEFAULT CURRENT_TIMESTAMP,
    completedAt DATETIME,
    interactions JSON CHECK (interactions IS NULL OR json_valid(interactions)),
    bookmarks JSON CHECK (bookmarks IS NULL OR json_valid(bookmarks)),
    notes TEXT,
    scrollPosition INTEGER DEFAULT 0,
    isCompleted BOOLEAN DEFAULT FALSE,
    learningPath JSON CHECK (learningPath IS NULL OR json_valid(learningPath)),
    engagementScore FLOAT DEFAULT 0.0,
    strugglingConcepts JSON CHECK (strugglingConcepts IS NULL OR json_valid(strugglingConcepts)),
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE,
    FOREIGN KEY (lesson) REFERENCES lessons(id) ON DELETE CASCADE,
    FOREIGN KEY (course) REFERENCES courses(id) ON DELETE CASCADE,
    UNIQUE(user, lesson)
);

-- ---------------------------------------------------------------- ERD-only tables
-- Written from the ERD: every column it lists, in its order; CHECKs for its enums and
-- percentages; foreign keys for its relationships.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    instructions TEXT,
    lesson INTEGER NOT NULL,
    dueDate DATETIME,
    availableFrom DATETIME,
    availableUntil DATETIME,
    maxPoints INTEGER DEFAULT 100 CHECK(maxPoints >= 0),
    submissionType VARCHAR(10) CHECK(submissionType IN ('text', 'file', 'both', 'quiz')) DEFAULT 'text',
    allowLateSubmission BOOLEAN DEFAULT FALSE,
    latePenaltyPercent INTEGER DEFAULT 0 CHECK(latePenaltyPercent >= 0 AND latePenaltyPercent <= 100),
    rubric JSON CHECK (rubric IS NULL OR json_valid(rubric)),
    attachments JSON CHECK (attachments IS NULL OR json_valid(attachments)),
    requirePlagiarismCheck BOOLEAN DEFAULT FALSE,
    maxAttempts INTEGER DEFAULT 1 CHECK(maxAttempts >= 1),
    isGroupAssignment BOOLEAN DEFAULT FALSE,
    groupSettings JSON CHECK (groupSettings IS NULL OR json_valid(groupSettings)),
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (lesson) REFERENCES lessons(id) ON DELETE CASCADE
);

-- collaborators: the ERD types it int but describes "Group member IDs"; stored as a JSON
-- array of user ids.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment INTEGER NOT NULL,
    student INTEGER NOT NULL,
    attemptNumber INTEGER NOT NULL DEFAULT 1 CHECK(attemptNumber >= 1),
    content TEXT,
    attachments JSON CHECK (attachments IS NULL OR json_valid(attachments)),
    submittedAt DATETIME,
    lastModifiedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    grade INTEGER CHECK(grade >= 0),
    gradePercentage FLOAT CHECK(gradePercentage >= 0 AND gradePercentage <= 100),
    feedback TEXT,
    detailedFeedback JSON CHECK (detailedFeedback IS NULL OR json_valid(detailedFeedback)),
    status VARCHAR(20) CHECK(status IN ('draft', 'submitted', 'graded', 'returned', 'late')) DEFAULT 'draft',
    gradedAt DATETIME,
    gradedBy INTEGER,
    flaggedForReview BOOLEAN DEFAULT FALSE,
    plagiarismReport JSON CHECK (plagiarismReport IS NULL OR json_valid(plagiarismReport)),
    rubricScores JSON CHECK (rubricScores IS NULL OR json_valid(rubricScores)),
    isLate BOOLEAN DEFAULT FALSE,
    collaborators JSON CHECK (collaborators IS NULL OR json_valid(collaborators)),
    FOREIGN KEY (assignment) REFERENCES assignments(id) ON DELETE CASCADE,
    FOREIGN KEY (student) REFERENCES users(id) ON DELETE CASCADE,
    FOREIGN KEY (gradedBy) REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE(assignment, student, attemptNumber)
);

CREATE TABLE chat_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sessionId VARCHAR(100) UNIQUE NOT NULL,
    lesson INTEGER NOT NULL,
    user INTEGER NOT NULL,
    history JSON DEFAULT '[]' CHECK (history IS NULL OR json_valid(history)),
    context JSON CHECK (context IS NULL OR json_valid(context)),
    mode VARCHAR(20) CHECK(mode IN ('default', 'quiz', 'explanation', 'study_guide', 'discussion')) DEFAULT 'default',
    aiSettings JSON CHECK (aiSettings IS NULL OR json_valid(aiSettings)),
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    lastActivity DATETIME DEFAULT CURRENT_TIMESTAMP,
    isActive BOOLEAN DEFAULT TRUE,
    messageCount INTEGER DEFAULT 0 CHECK(messageCount >= 0),
    analytics JSON CHECK (analytics IS NULL OR json_valid(analytics)),
    userSatisfaction VARCHAR(10) CHECK(userSatisfaction IN ('poor', 'fair', 'good', 'excellent')),
    userFeedback TEXT,
    FOREIGN KEY (lesson) REFERENCES lessons(id) ON DELETE CASCADE,
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE
);

-- quiz: the "Quiz assignment ID" (ASSIGNMENTS ||--o{ QUIZ_ATTEMPTS); NULL for a lesson quiz
-- that no assignment owns (e.g. one started from a chat session in quiz mode).
CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER NOT NULL,
    lesson INTEGER NOT NULL,
    quiz INTEGER,
    questions JSON NOT NULL CHECK (json_valid(questions)),
    answers JSON CHECK (answers IS NULL OR json_valid(answers)),
    correctAnswers JSON CHECK (correctAnswers IS NULL OR json_valid(correctAnswers)),
    score INTEGER DEFAULT 0 CHECK(score >= 0),
    maxScore INTEGER CHECK(maxScore >= 0),
    percentage FLOAT CHECK(percentage >= 0 AND percentage <= 100),
    startedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    completedAt DATETIME,
    submittedAt DATETIME,
    timeSpentSeconds INTEGER DEFAULT 0 CHECK(timeSpentSeconds >= 0),
    status VARCHAR(20) CHECK(status IN ('in_progress', 'completed', 'abandoned', 'timed_out')) DEFAULT 'in_progress',
    isRetake BOOLEAN DEFAULT FALSE,
    attemptNumber INTEGER DEFAULT 1 CHECK(attemptNumber >= 1),
    analytics JSON CHECK (analytics IS NULL OR json_valid(analytics)),
    hints JSON CHECK (hints IS NULL OR json_valid(hints)),
    allowReview BOOLEAN DEFAULT TRUE,
    CHECK(maxScore IS NULL OR score <= maxScore),
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE,
    FOREIGN KEY (lesson) REFERENCES lessons(id) ON DELETE CASCADE,
    FOREIGN KEY (quiz) REFERENCES assignments(id) ON DELETE CASCADE
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER NOT NULL,
    type VARCHAR(20) CHECK(type IN ('info', 'warning', 'success', 'error', 'reminder', 'assignment')) NOT NULL DEFAULT 'info',
    title VARCHAR(255) NOT NULL,
    message TEXT NOT NULL,
    metadata JSON CHECK (metadata IS NULL OR json_valid(metadata)),
    isRead BOOLEAN DEFAULT FALSE,
    isArchived BOOLEAN DEFAULT FALSE,
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    readAt DATETIME,
    expiresAt DATETIME,
    priority VARCHAR(10) CHECK(priority IN ('low', 'normal', 'high', 'urgent')) DEFAULT 'normal',
    actionButtons JSON CHECK (actionButtons IS NULL OR json_valid(actionButtons)),
    relatedEntity VARCHAR(50),
    relatedEntityId INTEGER,
    emailSent BOOLEAN DEFAULT FALSE,
    emailSentAt DATETIME,
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------- advanced tables
CREATE TABLE learning_analytics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER,
    course INTEGER,
    lesson INTEGER,
    metricType VARCHAR(50) CHECK(metricType IN ('engagement', 'performance', 'time', 'interaction')) NOT NULL,
    metricName VARCHAR(100) NOT NULL,
    metricValue FLOAT NOT NULL,
    unit VARCHAR(20),
    dimensions JSON CHECK (dimensions IS NULL OR json_valid(dimensions)),
    recordedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    calculatedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    isAggregate BOOLEAN DEFAULT FALSE,
    aggregationPeriod VARCHAR(20),
    metadata JSON CHECK (metadata IS NULL OR json_valid(metadata)),
    FOREIGN KEY (user) REFERENCES users(id) ON DELETE CASCADE,
    FOREIGN KEY (course) REFERENCES courses(id) ON DELETE CASCADE,
    FOREIGN KEY (lesson) REFERENCES lessons(id) ON DELETE CASCADE
);

-- userId / sessionId are plain strings, as in the document: logs outlive the rows they name.
CREATE TABLE system_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    level VARCHAR(20) CHECK(level IN ('debug', 'info', 'warning', 'error', 'critical')) NOT NULL,
    component VARCHAR(50) NOT NULL,
    action VARCHAR(100),
    message TEXT NOT NULL,
    context JSON CHECK (context IS NULL OR json_valid(context)),
    userId VARCHAR(50),
    sessionId VARCHAR(100),
    ipAddress VARCHAR(45), -- IPv6 compatible
    userAgent TEXT,
    requestData JSON CHECK (requestData IS NULL OR json_valid(requestData)),
    responseData JSON CHECK (responseData IS NULL OR json_valid(responseData)),
    responseTime INTEGER, -- milliseconds
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    correlationId VARCHAR(100),
    systemMetrics JSON CHECK (systemMetrics IS NULL OR json_valid(systemMetrics))
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    keyName VARCHAR(100) NOT NULL,
    hashedKey VARCHAR(255) NOT NULL,
    userId INTEGER,
    permissions JSON CHECK (permissions IS NULL OR json_valid(permissions)),
    rateLimits JSON CHECK (rateLimits IS NULL OR json_valid(rateLimits)),
    isActive BOOLEAN DEFAULT TRUE,
    createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
    expiresAt DATETIME,
    lastUsedAt DATETIME,
    usageCount INTEGER DEFAULT 0,
    usageAnalytics JSON CHECK (usageAnalytics IS NULL OR json_valid(usageAnalytics)),
    FOREIGN KEY (userId) REFERENCES users(id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------- indexes (the document's)
-- User-related indexes
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_role ON users(role);
CREATE INDEX idx_users_active ON users(isActive);
CREATE INDEX idx_users_last_login ON users(lastLoginAt);

-- Course-related indexes
CREATE INDEX idx_courses_instructor ON courses(instructor);
CREATE INDEX idx_courses_status ON courses(status);
CREATE INDEX idx_courses_published ON courses(published);
CREATE INDEX idx_courses_start_date ON courses(startDate);
CREATE INDEX idx_courses_category ON courses(category);

-- Lesson-related indexes
CREATE INDEX idx_lessons_course ON lessons(course);
CREATE INDEX idx_lessons_published ON lessons(published);
CREATE INDEX idx_lessons_order ON lessons(course, orderIndex);
CREATE INDEX idx_lessons_difficulty ON lessons(difficulty);

-- Enrollment indexes for quick lookups
CREATE INDEX idx_enrollments_user ON enrollments(user);
CREATE INDEX idx_enrollments_course ON enrollments(course);
CREATE INDEX idx_enrollments_status ON enrollments(status);
CREATE INDEX idx_enrollments_user_course ON enrollments(user, course);

-- Progress tracking indexes
CREATE INDEX idx_progress_user ON progress(user);
CREATE INDEX idx_progress_lesson ON progress(lesson);
CREATE INDEX idx_progress_course ON progress(course);
CREATE INDEX idx_progress_completion ON progress(completionPercentage);
CREATE INDEX idx_progress_user_course ON progress(user, course);

-- Assignment and submission indexes
CREATE INDEX idx_assignments_lesson ON assignments(lesson);
CREATE INDEX idx_assignments_due_date ON assignments(dueDate);
CREATE INDEX idx_submissions_assignment ON submissions(assignment);
CREATE INDEX idx_submissions_student ON submissions(student);
CREATE INDEX idx_submissions_status ON submissions(status);

-- Chat and interaction indexes
CREATE INDEX idx_chat_sessions_user ON chat_sessions(user);
CREATE INDEX idx_chat_sessions_lesson ON chat_sessions(lesson);
CREATE INDEX idx_chat_sessions_active ON chat_sessions(isActive);
CREATE INDEX idx_chat_sessions_activity ON chat_sessions(lastActivity);

-- Media and file indexes
CREATE INDEX idx_media_type ON media(mediaType);
CREATE INDEX idx_media_uploaded_by ON media(uploadedBy);
CREATE INDEX idx_media_public ON media(isPublic);
CREATE INDEX idx_media_created ON media(createdAt);

-- Analytics indexes
CREATE INDEX idx_analytics_user ON learning_analytics(user);
CREATE INDEX idx_analytics_course ON learning_analytics(course);
CREATE INDEX idx_analytics_metric ON learning_analytics(metricType, metricName);
CREATE INDEX idx_analytics_recorded ON learning_analytics(recordedAt);

-- System log indexes
CREATE INDEX idx_logs_level ON system_logs(level);
CREATE INDEX idx_logs_component ON system_logs(component);
CREATE INDEX idx_logs_timestamp ON system_logs(timestamp);
CREATE INDEX idx_logs_user ON system_logs(userId);
CREATE INDEX idx_logs_correlation ON system_logs(correlationId);

-- Composite indexes for common queries
CREATE INDEX idx_user_course_progress ON progress(user, course, completionPercentage);
CREATE INDEX idx_lesson_user_completion ON progress(lesson, user, isCompleted);
CREATE INDEX idx_course_published_active ON courses(published, status);
CREATE INDEX idx_enrollment_active_course ON enrollments(status, course) WHERE status = 'active';

-- ---------------------------------------------------------------- indexes (added)
-- Foreign keys of the ERD-only tables the document gives no index for: cascaded deletes
-- from users/lessons and the per-user inbox would otherwise scan.
CREATE INDEX idx_quiz_attempts_user ON quiz_attempts(user);
CREATE INDEX idx_quiz_attempts_lesson ON quiz_attempts(lesson);
CREATE INDEX idx_quiz_attempts_quiz ON quiz_attempts(quiz);
CREATE INDEX idx_notifications_user_read ON notifications(user, isRead);
CREATE INDEX idx_notifications_archived_created ON notifications(isArchived, createdAt);
