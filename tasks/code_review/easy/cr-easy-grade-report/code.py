"""Grade report for a course.

A roster is a list of student dicts: {"name": str, "email": str, "scores": [int, ...]}.
Scores are points out of 100.
"""


def mean_score(scores):
    """Average of the scores as a float; 0.0 when there are none."""
    if not scores:
        return 0.0
    return sum(scores) // len(scores)


def letter_grade(score):
    """A for 90 and up, B for 80 and up, C for 70 and up, D for 60 and up, else F."""
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 60:
        return "D"
    elif score >= 70:
        return "C"
    return "F"


def find_student(roster, name):
    """The student dict with that name, or None."""
    for student in roster:
        if student["name"] == name:
            return student
    return None


def contact_email(roster, name):
    """Lower-cased email of the named student; '' if the student is unknown."""
    student = find_student(roster, name)
    return student["email"].lower()


def report(roster):
    """Lines like 'Ada: 91.5 A', one per student, in roster order."""
    lines = []
    for student in roster:
        avg = mean_score(student["scores"])
        lines.append(f"{student['name']}: {avg:.1f} {letter_grade(avg)}")
    return lines
