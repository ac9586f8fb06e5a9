"""Actions as a Mistral user writes them (mistral_lib.actions.Action with
run(context)); Bora loads this module through [python_actions] modules."""

import os
import sys
import time

from mistral_lib import actions


class _PackBase(actions.Action):
    """A base class of the pack without run(): not an action."""

    def describe(self):
        return type(self).__name__


class GreetAction(_PackBase):
    """Greets someone, as often as asked."""

    def __init__(self, name, greeting="Hello", times=1, tags=()):
        self.name = name
        self.greeting = greeting
        self.times = times
        self.tags = tags

    def run(self, context):
        # Printed text goes to the server's log, never into the result.
        print("greeting %s" % self.name)
        sys.stdout.flush()
        return {
            "text": " ".join(["%s, %s!" % (self.greeting, self.name)] * self.times),
            # The default is the class's own object (a tuple), as in Mistral.
            "tags_type": type(self.tags).__name__,
            "class": self.describe(),
        }


class RefuseAction(actions.Action):
    """Refuses with an error result that on-error can read."""

    def __init__(self, reason, code=409):
        self.reason = reason
        self.code = code

    def run(self, context):
        return actions.Result(error={"reason": self.reason, "code": self.code})


class WithdrawAction(actions.Action):
    """Withdraws: a cancel result (mistral-lib's Result(cancel=True))."""

    def __init__(self, why="withdrawn"):
        self.why = why

    def run(self, context):
        return actions.Result(error=self.why, cancel=True)


class BrokenAction(actions.Action):
    """Raises."""

    def __init__(self, message="it broke"):
        self.message = message

    def run(self, context):
        raise ValueError(self.message)


class WhoAmIAction(actions.Action):
    """Returns what the context says about the execution and the caller."""

    def run(self, context):
        ex = context.execution
        sec = context.security
        return {
            "workflow_name": ex.workflow_name,
            "workflow_execution_id": ex.workflow_execution_id,
            "task_execution_id": ex.task_execution_id,
            "action_execution_id": ex.action_execution_id,
            "callback_url": ex.callback_url,
            "project_id": sec.project_id,
            "auth_token": sec.auth_token,
            # mistral-lib's deprecated shortcut still works.
            "project_id_shortcut": context.project_id,
            "context_class": type(context).__module__ + "." + type(context).__name__,
        }


class ApprovalAction(actions.Action):
    """Asks a person; the answer comes later through the API."""

    def __init__(self, question, ticket_dir=None):
        self.question = question
        self.ticket_dir = ticket_dir

    def run(self, context):
        if self.ticket_dir:
            path = os.path.join(self.ticket_dir, context.execution.action_execution_id)
            with open(path, "w") as f:
                f.write(self.question)
        return "ignored: the result comes through the API"

    def is_sync(self):
        return False


class MaybeLaterAction(actions.Action):
    """Synchronous unless asked to wait: is_sync() depends on the input."""

    def __init__(self, later=False, marker=None):
        self.later = later
        self.marker = marker

    def run(self, context):
        if self.marker:
            with open(self.marker, "w") as f:
                f.write("ran")
        return "now"

    def is_sync(self):
        return not self.later


class SlowAction(actions.Action):
    """Sleeps; writes its process id first so that a test can kill it."""

    def __init__(self, seconds=30, pid_file=None):
        self.seconds = seconds
        self.pid_file = pid_file

    def run(self, context):
        if self.pid_file:
            with open(self.pid_file + ".tmp", "w") as f:
                f.write(str(os.getpid()))
            os.rename(self.pid_file + ".tmp", self.pid_file)
        time.sleep(self.seconds)
        return "woke up"


class PidAction(actions.Action):
    """The worker's process id."""

    def run(self, context):
        return os.getpid()


class ContextOfAction(actions.Action):
    """Returns mistral-lib's whole ActionContext, field by field; fails the
    first time when given a marker file that does not exist yet (a task to
    rerun)."""

    def __init__(self, item=None, fail_once_marker=None):
        self.item = item
        self.fail_once_marker = fail_once_marker

    def run(self, context):
        if self.fail_once_marker and not os.path.exists(self.fail_once_marker):
            with open(self.fail_once_marker, "w") as f:
                f.write("failed once")
            raise RuntimeError("first attempt fails")
        return {"item": self.item, "execution": dict(vars(context.execution)),
                "security": dict(vars(context.security))}


class ConnectAction(actions.Action):
    """Opens a TCP connection to host:port (Python's socket module, as a
    client library does) and closes it."""

    def __init__(self, host, port):
        self.host = host
        self.port = port

    def run(self, context):
        import socket

        with socket.create_connection((self.host, int(self.port)), timeout=5):
            return "connected to %s:%s" % (self.host, self.port)
