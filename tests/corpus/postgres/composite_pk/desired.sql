CREATE TABLE enrollments (
    student_id integer NOT NULL,
    course_id integer NOT NULL,
    term text NOT NULL,
    grade text,
    CONSTRAINT enrollment_key PRIMARY KEY (course_id, student_id, term)
);
