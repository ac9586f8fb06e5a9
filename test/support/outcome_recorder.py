"""A unittest result class that hands each test's outcome to a callback:
the runners of other projects' suites against Bora (Mistral's tempest
suite, python-mistralclient's functional suite) collect them per worker."""
import time
import unittest


def recorder_class(record):
    """A unittest.TextTestResult class that calls record(test, outcome,
    seconds, detail) once per outcome: "pass", "fail", "error" or "skip"
    (detail: the traceback, or the skip's reason)."""

    class Recorder(unittest.TextTestResult):
        def startTest(self, test):
            self._started = time.time()
            super().startTest(test)

        def _put(self, test, outcome, detail=""):
            seconds = round(time.time() - getattr(self, "_started", time.time()), 2)
            record(test, outcome, seconds, detail)

        def addSuccess(self, test):
            super().addSuccess(test)
            self._put(test, "pass")

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._put(test, "fail", self._exc_info_to_string(err, test))

        def addError(self, test, err):
            super().addError(test, err)
            self._put(test, "error", self._exc_info_to_string(err, test))

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._put(test, "skip", str(reason))

        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err)
            self._put(test, "fail", "expected failure:\n" + self._exc_info_to_string(err, test))

        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test)
            self._put(test, "pass")

    return Recorder
