"""nbgrader configuration for the latentvi homework (Java notebooks, the "latentvi" kernel).

environment/homework-course DIR lays out a course directory (DIR/source/<assignment>/<assignment>.ipynb)
with a nbgrader_config.py that loads this file, so instructors run the usual nbgrader commands there:
    nbgrader generate_assignment hw1-gaussian-mixtures
    nbgrader autograde hw1-gaussian-mixtures
See notebooks/homework/README.md ("Instructors").
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # latentvi_grading
from latentvi_grading import ResilientExecute  # noqa: E402

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "cs285-lecture18"

# Solution regions in Java: "// BEGIN SOLUTION" ... "// END SOLUTION" at the end of a method body;
# the stub must compile where a value is returned, so it throws (the checks report "not attempted").
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {
    "java": '// YOUR CODE HERE\nthrow new UnsupportedOperationException("your code here");',
}
# Hidden cases in graded cells: "// BEGIN HIDDEN TESTS" ... "// END HIDDEN TESTS" (removed from the release).
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Cells: JVM start-up takes ~10 s; hw4 trains a VAE on MNIST inside one cell (≈1 min on 2 cores).
# Each check limits the student's code itself (30 s, 300 s for the training run), so an endless
# loop costs seconds, not this timeout.
c.Execute.timeout = 900
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True

# Autograde: nbgrader's preprocessors, with Execute replaced by one that survives a dead kernel.
from nbgrader.converters.autograde import Autograde  # noqa: E402

c.Autograde.autograde_preprocessors = [
    ResilientExecute if p.__name__ == "Execute" else p
    for p in Autograde.class_traits()["autograde_preprocessors"].default()
]
