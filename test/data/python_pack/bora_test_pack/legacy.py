"""An action registered the Mistral way, by an entry point in the
`mistral.actions` group of an installed distribution (see
../bora_test_pack-1.0.dist-info/entry_points.txt)."""

from mistral_lib import actions


class RunnerAction(actions.Action):
    def __init__(self, param, flags=None):
        self.param = param
        self.flags = flags

    def run(self, context):
        return {"status": 0, "param": self.param, "flags": self.flags}
