CREATE TABLE enrollments (
    student_id integer NOT NULL,
    course_id integer NOT NULL,
    term text NOT NULL,
    grade text,
    CONSTRAINT enrollments_pkey PRIMARY KEY (student_id, course_id)
);
