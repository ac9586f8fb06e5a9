"""The real Mistral 15's REST API in this process, for the generators that
freeze its answers (gen_content_negotiation_cases.py, gen_rest_cases.py).

Mistral's own engine test base runs it: SQLite, an engine and an executor
in the process, authentication off (every call is its test context's
project), cron triggers not fired, Mistral's default policy. Needs
python3-mistral and python3-oslotest (Debian's /usr/bin/python3)."""

import sys
import unittest


def record_with_mistral(record):
    """Calls record(app), app a webtest application of Mistral's pecan API,
    inside Mistral's engine test case; False when the test failed (record
    raised, or Mistral's fixtures did)."""
    sys.argv = sys.argv[:1]
    import pecan
    import pecan.testing
    from unittest import mock
    from mistral.api import app as pecan_app
    from mistral.services import periodic
    from mistral.tests.unit.engine import base
    from mistral.tests.unit.mstrlfixtures import policy_fixtures

    class Record(base.EngineTestCase):
        def setUp(self):
            super().setUp()
            self.override_config("auth_enable", False, group="pecan")
            self.override_config("enabled", False, group="cron_trigger")
            self.app = pecan.testing.load_test_app(dict(pecan_app.get_pecan_config()))
            self.addCleanup(periodic.stop_all_periodic_tasks)
            p = mock.patch("mistral.context.MistralContext.from_environ")
            p.start().return_value = self.ctx
            self.addCleanup(p.stop)
            self.useFixture(policy_fixtures.PolicyFixture())
            # What `mistral-db-manage populate` registers on every install
            # (std.wait_ssh), as Bora registers it when it opens its database.
            from mistral.services import action_manager
            action_manager.sync_db()

        def test_record(self):
            record(self.app)

    result = unittest.TextTestRunner(verbosity=0).run(unittest.TestLoader().loadTestsFromTestCase(Record))
    return result.wasSuccessful()


def write_cases(cases, path):
    """The recorded cases as the tests read them (JSON, one item a case)."""
    import json
    with open(path, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), path))
