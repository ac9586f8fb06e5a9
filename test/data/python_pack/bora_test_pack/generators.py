"""Action generators as mistral-extra writes them (its OpenStack actions):
a function, registered as a `mistral.generators` entry point or named in
[python_actions] generators, returns generators; each lists actions of its
base_action_class, the generated `class` carrying the fields that tell the
base class what to do."""

from mistral_lib import actions


class CloudCallAction(actions.Action):
    """The base class of the generated actions: what a client method call
    would send, from the generated class's fields."""

    client_method_name = None
    service = None

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def run(self, context):
        return {"service": self.service, "method": self.client_method_name, "kwargs": self.kwargs,
                "class": type(self).__name__,
                "workflow_name": context.execution.workflow_name}


class ComputeGenerator:
    """mistral-extra's ActionGenerator interface: base_action_class and
    create_actions()."""

    base_action_class = CloudCallAction

    def create_actions(self):
        made = []
        for method, arg_list, doc in (("servers_list", "detailed=true, limit=null", "Lists the servers."),
                                      ("servers_get", "server", "Shows one server.")):
            made.append({
                "name": "gen_compute." + method,
                "description": doc,
                "arg_list": arg_list,
                "class": type(method, (object,), {"client_method_name": method, "service": "compute"}),
            })
        return made


class PingGenerator:
    base_action_class = CloudCallAction

    def create_actions(self):
        return [{"name": "gen_ping.ping", "description": "Pings.", "arg_list": "",
                 "class": type("ping", (object,), {"client_method_name": "ping", "service": "ping"})}]


def compute_generators():
    return [ComputeGenerator()]


def ping_generators():
    return [PingGenerator()]
