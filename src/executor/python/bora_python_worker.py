"""Bora's Python action worker: runs Mistral custom actions (classes written
against mistral-lib, `mistral_lib.actions.Action` with `run(context)`)
unchanged, out of Bora's process.

Bora starts the interpreter configured in `[python_actions] python` with a
short bootstrap (`-c`) that reads this script as the first message on stdin
and runs it; the script is compiled into the `bora` binary
(src/executor/python/python_pack.cpp), so nothing is installed beside it.
What to load comes in the environment, BORA_PYTHON_WORKER_CONFIG (JSON):
  {"modules": [...], "actions": {"name": "module:Class"},
   "generators": ["module:function"], "entry_points": bool, "path": [...]}

Messages both ways are a 4-byte little-endian length and that many bytes of
JSON, as for Bora's other workers (src/executor/workers/worker_process.h):
  {"op": "describe"} -> {"data": {"actions": [...], "problems": [...]}}
  {"op": "run", "action": name, "input": {...}, "context": {...}}
      -> {"data": ..., "error": ..., "failed": bool, "raised": bool,
          "cancelled": bool, "is_sync": bool}
  {"op": "run_code", "action": name, "class_name": ..., "input": {...},
   "context": {...}, "code_source": {"id", "name", "version", "content"}}
      -> the same: a dynamic action, the class of a code source (Mistral's
         code sources and dynamic actions, stored through the API)
  {"op": "describe_code", "class_name": ..., "code_source": {...}}
      -> {"data": {"input": params_spec, "class_name": "module.Class",
          "description": docstring}}: what Mistral's engine checks the
         input against, and its action list shows
Anything the actions print goes to stderr (the server's log), never into
the answers. The worker dies with Bora (PR_SET_PDEATHSIG, end of input).

No Mistral code is needed; mistral-lib is (Debian's python3-mistral-lib).
"""

import ctypes
import importlib
import inspect
import ipaddress
import json
import os
import re
import signal
import socket
import struct
import sys
import traceback
import types

# The protocol's pipes, moved away from fds 0 and 1 before any action code
# is imported: a print() (or a C library writing to fd 1) must land in the
# log, not in the middle of an answer.
PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
sys.stdout.flush()
os.dup2(2, 1)

PR_SET_PDEATHSIG = 1


def die_with_parent():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # end of input still ends the worker
    if os.getppid() == 1:  # the server is already gone
        os._exit(0)
    # ^C in the server's terminal reaches the whole process group: the
    # server decides what happens to running actions, not a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_exact(size):
    data = b""
    while len(data) < size:
        chunk = os.read(PROTO_IN, size - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return data


def read_message():
    (size,) = struct.unpack("<I", read_exact(4))
    return json.loads(read_exact(size).decode("utf-8"))


def write_message(obj):
    data = json.dumps(obj, allow_nan=False).encode("utf-8")
    data = struct.pack("<I", len(data)) + data
    while data:
        try:
            n = os.write(PROTO_OUT, data)
        except BrokenPipeError:
            os._exit(0)
        data = data[n:]


def log(text):
    sys.stderr.write("bora python worker: %s\n" % text)
    sys.stderr.flush()


# -- [executor] denied_networks ----------------------------------------------

class Reach:
    """The server's reach rules (std.http's: [executor] denied_networks,
    deny_own_api_port), enforced on the actions' sockets by an audit hook
    (PEP 578). Python code cannot remove an audit hook once added; code
    that leaves Python's socket module (ctypes, a C extension's own
    sockets, a subprocess) is not seen: docs/ACTIONS.md says what isolates
    untrusted packs."""

    def __init__(self):
        self.denied = []          # ipaddress networks
        self.own_port = 0         # this server's API port when deny_own_api_port
        self.checking = False     # a lookup of the hook's own (no recursion)

    def update(self, reach):
        reach = reach or {}
        denied = []
        for text in reach.get("denied_networks") or []:
            try:
                denied.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                log("denied_networks: %r is not a network; ignored" % text)
        self.denied = denied
        self.own_port = int(reach.get("own_api_port") or 0) if reach.get("deny_own_api_port") else 0

    def addresses(self, host, port):
        try:
            return [ipaddress.ip_address(host.split("%", 1)[0])]
        except ValueError:
            pass
        # A name: every address it resolves to now (the connect resolves it
        # again; a name whose answer changes in between is not caught:
        # deny by address at the OS level for names that are not trusted).
        self.checking = True
        try:
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except OSError:
            return []  # the connect fails by itself
        finally:
            self.checking = False
        out = []
        for info in infos:
            try:
                out.append(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
            except ValueError:
                pass
        return out

    def refused(self, address):
        if not isinstance(address, tuple) or len(address) < 2 or not isinstance(address[0], str):
            return None  # a Unix socket, a netlink address...: not a network
        host, port = address[0], address[1]
        for ip in self.addresses(host, port):
            mapped = getattr(ip, "ipv4_mapped", None)
            for candidate in (ip, mapped) if mapped else (ip,):
                for net in self.denied:
                    if candidate.version == net.version and candidate in net:
                        return ("%s (port %s) is in %s, which [executor] denied_networks denies"
                                % (candidate, port, net))
                if self.own_port and port == self.own_port and (candidate.is_loopback or candidate.is_unspecified):
                    return ("%s (port %s) is this server's own API, which [executor] deny_own_api_port denies"
                            % (candidate, port))
        return None

    def hook(self, event, args):
        if self.checking or not (self.denied or self.own_port):
            return
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1] if len(args) > 1 else None  # (socket, address)
            why = self.refused(address)
            if why:
                raise PermissionError("connection refused by Bora: " + why)


REACH = Reach()


# -- the actions -------------------------------------------------------------

def action_bases():
    """mistral-lib's Action, and Mistral's own pre-mistral-lib base class
    where that Mistral is installed (its run() takes no context)."""
    from mistral_lib import actions as lib_actions

    bases = [lib_actions.Action]
    try:
        from mistral.actions import base as legacy  # Mistral before Rocky

        bases.append(legacy.Action)
    except Exception:  # absent in current Mistral: nothing to accept
        pass
    return tuple(bases)


def snake_case(class_name):
    """RunnerAction -> runner, GetHTTPStatusAction -> get_http_status."""
    if class_name.endswith("Action") and class_name != "Action":
        class_name = class_name[: -len("Action")]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", class_name)
    return words.lower()


def overrides(cls, method, bases):
    own = getattr(cls, method, None)
    return own is not None and all(own is not getattr(b, method, None) for b in bases)


def import_object(spec):
    """'package.module:Class' (an entry point's value) -> the class."""
    module_name, _, attr = spec.partition(":")
    obj = importlib.import_module(module_name.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


class Catalog:
    def __init__(self, config):
        from mistral_lib.utils import inspect_utils

        self.inspect_utils = inspect_utils
        self.bases = action_bases()
        self.actions = {}  # name -> (class, origin)
        self.specs = {}  # name -> (input signature, description) of a generated action
        self.problems = []
        for d in config.get("path") or []:
            if d not in sys.path:
                sys.path.insert(0, d)
        for name, spec in (config.get("actions") or {}).items():
            self._add_spec(name, spec, "[python_actions] actions")
        for module_name in config.get("modules") or []:
            self._add_module(module_name)
        for spec in config.get("generators") or []:
            self._add_generators(spec, "[python_actions] generators: %s" % spec)
        if config.get("entry_points"):
            self._add_entry_points()

    def _add(self, name, cls, origin):
        if not inspect.isclass(cls) or not callable(getattr(cls, "run", None)):
            self.problems.append("%s: %s names %r, which is not an action class (no run method)" % (origin, name, cls))
            return
        if name in self.actions:
            self.problems.append("%s: action %s is already declared by %s; this one is skipped"
                                 % (origin, name, self.actions[name][1]))
            return
        self.actions[name] = (cls, origin)

    def _add_spec(self, name, spec, origin):
        try:
            cls = import_object(spec)
        except BaseException as e:
            self.problems.append("%s: %s = %s cannot be imported: %s: %s" % (origin, name, spec, type(e).__name__, e))
            log(traceback.format_exc())
            return
        self._add(name, cls, origin)

    def _add_module(self, module_name):
        origin = "[python_actions] modules: %s" % module_name
        try:
            module = importlib.import_module(module_name)
        except BaseException as e:
            self.problems.append("%s cannot be imported: %s: %s" % (origin, type(e).__name__, e))
            log(traceback.format_exc())
            return
        found = 0
        for attr, cls in sorted(vars(module).items()):
            # Classes defined in the module itself (not imported into it)
            # that implement run(): a base class of the pack without run()
            # is not an action.
            if (attr.startswith("_") or not inspect.isclass(cls) or cls.__module__ != module.__name__
                    or not issubclass(cls, self.bases) or cls in self.bases or inspect.isabstract(cls)
                    or not overrides(cls, "run", self.bases)):
                continue
            self._add("%s.%s" % (module_name, snake_case(cls.__name__)), cls, origin)
            found += 1
        if not found:
            self.problems.append("%s defines no action class (a subclass of mistral_lib.actions.Action with its "
                                 "own run())" % origin)

    def _add_generators(self, spec, origin):
        """Mistral's legacy action generators (its LegacyActionProvider):
        the object named is called when callable (stevedore's
        invoke_on_load) and gives generators; each generator's
        create_actions() lists dicts {name, description, arg_list, class},
        run as its base_action_class with the public fields of `class` as
        class attributes (mistral-lib's PythonActionDescriptor makes the
        same subclass), arg_list being the input signature."""
        try:
            obj = import_object(spec)
            generators = obj() if callable(obj) else obj
            generators = list(generators or [])
        except BaseException as e:
            self.problems.append("%s cannot be loaded: %s: %s" % (origin, type(e).__name__, e))
            log(traceback.format_exc())
            return
        if not generators:
            self.problems.append("%s gives no action generator" % origin)
        for gen in generators:
            try:
                base = gen.base_action_class
                made = list(gen.create_actions())
            except BaseException as e:
                self.problems.append("%s: generator %r cannot list its actions: %s: %s"
                                     % (origin, gen, type(e).__name__, e))
                log(traceback.format_exc())
                continue
            for action in made:
                try:
                    name = action["name"]
                    attrs = self.inspect_utils.get_public_fields(action["class"])
                    attrs = dict(attrs, __module__=base.__module__) if attrs else attrs
                    cls = type(base.__name__, (base,), attrs) if attrs else base
                except BaseException as e:
                    self.problems.append("%s: generator %r made an action that cannot be used (%r): %s: %s"
                                         % (origin, gen, action, type(e).__name__, e))
                    continue
                before = len(self.actions)
                self._add(name, cls, "%s (generator %s)" % (origin, type(gen).__name__))
                if len(self.actions) > before:
                    self.specs[name] = (action.get("arg_list"), action.get("description"))

    def _add_entry_points(self):
        from importlib import metadata

        def group(name):
            try:
                return metadata.entry_points(group=name)
            except TypeError:  # Python < 3.10
                return metadata.entry_points().get(name, [])

        for ep in sorted(group("mistral.actions"), key=lambda e: e.name):
            # Mistral's own std.* actions are registered the same way; Bora
            # has its own std actions.
            if ep.value.startswith("mistral."):
                continue
            dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
            self._add_spec(ep.name, ep.value, "entry point mistral.actions of %s" % dist)
        # Then the generators, as Mistral loads them after the actions.
        for ep in sorted(group("mistral.generators"), key=lambda e: e.name):
            dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
            self._add_generators(ep.value, "entry point mistral.generators %s of %s" % (ep.name, dist))

    def signature(self, cls):
        """Mistral's params_spec, by mistral-lib's own function (a default
        that is not JSON is left out, as Mistral leaves it out)."""
        return self.inspect_utils.get_arg_list_as_str(cls.__init__)

    def describe(self):
        out = []
        for name, (cls, origin) in sorted(self.actions.items()):
            generated_spec, generated_desc = self.specs.get(name, (None, None))
            try:
                spec = generated_spec if generated_spec is not None else self.signature(cls)
            except Exception as e:
                self.problems.append("%s: the signature of %s cannot be read: %s" % (origin, name, e))
                continue
            out.append({
                "name": name,
                "input": spec,
                "description": generated_desc or self.inspect_utils.get_docstring(cls) or "",
                "class_name": "%s.%s" % (cls.__module__, cls.__name__),
                "is_async": not static_is_sync(cls, self.bases),
            })
        return {"actions": out, "problems": self.problems}


def static_is_sync(cls, bases):
    """is_sync() of an instance made without __init__: what most async
    actions answer (`return False`). One that depends on its input says so
    again after each run, which is what counts."""
    if not overrides(cls, "is_sync", bases):
        return True
    try:
        return bool(cls.is_sync(cls.__new__(cls)))
    except Exception:
        return True


# -- running one -------------------------------------------------------------

def build_context(context):
    from mistral_lib.actions import context as lib_context

    def made(cls, values):
        values = dict(values or {})
        params = inspect.signature(cls.__init__).parameters
        known = {k: v for k, v in values.items() if k in params}
        obj = cls(**known)
        # Fields this mistral-lib does not know (user_id, ...) are
        # attributes all the same.
        for k, v in values.items():
            if k not in params:
                setattr(obj, k, v)
        return obj

    execution = {k: (v if v != "" else None) for k, v in (context.get("execution") or {}).items()}
    return lib_context.ActionContext(made(lib_context.SecurityContext, context.get("security")),
                                     made(lib_context.ExecutionContext, execution))


def to_primitive(value):
    """A result as Mistral stores it (mistral.utils.to_json_str: oslo's
    to_primitive with instances converted, generators listed)."""
    try:
        from oslo_serialization import jsonutils
    except ImportError:
        return value

    def fallback(v):
        if inspect.isgenerator(v):
            return jsonutils.to_primitive(list(v), convert_instances=True, fallback=fallback)
        return v

    return jsonutils.to_primitive(value, convert_instances=True, fallback=fallback)


def without_defaults(cls, params):
    """The input without the parameters Bora filled in with their default:
    the class gets its own default objects (a tuple stays a tuple), as in
    Mistral, where only the given parameters are passed."""
    try:
        sig = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return params
    out = {}
    for k, v in params.items():
        p = sig.get(k)
        if p is not None and p.default is not inspect.Parameter.empty:
            try:
                if json.loads(json.dumps(p.default)) == v and type(json.loads(json.dumps(p.default))) is type(v):
                    continue
            except (TypeError, ValueError):
                pass
        out[k] = v
    return out


def run(catalog, request):
    REACH.update(request.get("reach"))
    name = request.get("action")
    found = catalog.actions.get(name)
    if not found:
        return {"failed": True, "error": "Action not found [action_name=%s]" % name}
    cls = found[0]
    params = request.get("input") or {}
    try:
        action = cls(**without_defaults(cls, params))
    except BaseException as e:
        log(traceback.format_exc())
        return {"failed": True,
                "error": "Failed to instantiate an action [action_desc=Python action [name=%s, cls=%s], "
                         "input_dict=%s]: %s: %s" % (name, cls, params, type(e).__name__, e)}
    return run_action(name, action, action, request.get("context") or {})


class DynamicAction:
    """How Mistral's executor names a dynamic action in its messages: the
    mistral.actions.dynamic_action.DynamicAction wrapping the class's
    instance (`<mistral.actions.dynamic_action.DynamicAction object at
    0x...>`)."""

    def __repr__(self):
        return "<mistral.actions.dynamic_action.DynamicAction object at %s>" % hex(id(self))


class CodeSources:
    """Code sources loaded as Mistral's DynamicActionProvider loads them: the
    text executed in a new module named after the code source, loaded
    again when its version has grown since (an update applies to the next
    run). Kept per worker process."""

    def __init__(self):
        self.loaded = {}  # code source id -> (version, module)

    def module(self, source):
        key = source.get("id") or source.get("name")
        version = source.get("version") or 0
        got = self.loaded.get(key)
        if got is not None and got[0] >= version:
            return got[1]
        mod = types.ModuleType(source.get("name") or "code_source")
        exec(source.get("content") or "", mod.__dict__)
        self.loaded[key] = (version, mod)
        return mod


CODE_SOURCES = CodeSources()


def check_input(name, cls, params):
    """What Mistral's engine checks of a dynamic action's input before the
    action runs (mistral-lib's ActionDescriptorBase.check_parameters, by
    its own functions): the parameters of the class's __init__, unless it
    takes **kwargs. None when the input fits."""
    from mistral_lib import utils as lib_utils
    from mistral_lib.actions.providers import base as lib_providers
    from mistral_lib.utils import inspect_utils

    spec = inspect_utils.get_arg_list_as_str(cls.__init__)
    if "**" in spec:
        return None
    missing, unexpected = lib_providers._compare_parameters(lib_utils.get_dict_from_string(spec), params)
    if not missing and not unexpected:
        return None
    msg = "Invalid input [name=%s, class=%s.%s" % (name, cls.__module__, cls.__name__)
    if missing:
        msg += ", missing=%s" % missing
    if unexpected:
        msg += ", unexpected=%s" % unexpected
    return msg + "]"


def code_class(request):
    """(class, None) of a dynamic action, or (None, the failed answer)."""
    name = request.get("action")
    source = request.get("code_source") or {}
    class_name = request.get("class_name") or ""
    try:
        module = CODE_SOURCES.module(source)
    except BaseException as e:
        log("code source %s (dynamic action %s) cannot be loaded:\n%s"
            % (source.get("name"), name, traceback.format_exc()))
        return None, {"failed": True,
                      "error": "Failed to load code source '%s' of dynamic action %s: %s: %s"
                               % (source.get("name"), name, type(e).__name__, e)}
    cls = getattr(module, class_name, None)
    if cls is None or not inspect.isclass(cls) or not callable(getattr(cls, "run", None)):
        return None, {"failed": True,
                      "error": "Dynamic action %s: code source '%s' has no action class named '%s' (a class "
                               "with a run(self, context) method, as mistral_lib.actions.Action)"
                               % (name, source.get("name"), class_name)}
    return cls, None


def describe_code(request):
    from mistral_lib.utils import inspect_utils

    # The module's top level runs now, under the reach rules too.
    REACH.update(request.get("reach"))
    cls, failed = code_class(request)
    if failed:
        return failed
    try:
        spec = inspect_utils.get_arg_list_as_str(cls.__init__)
    except Exception as e:
        return {"failed": True, "error": "the signature of %s cannot be read: %s" % (cls, e)}
    return {"data": {"input": spec, "class_name": "%s.%s" % (cls.__module__, cls.__name__),
                     "description": inspect_utils.get_docstring(cls) or ""}}


def run_code(request):
    REACH.update(request.get("reach"))
    name = request.get("action")
    source = request.get("code_source") or {}
    params = request.get("input") or {}
    cls, failed = code_class(request)
    if failed:
        return failed
    # The engine checked the input already unless it could not learn the
    # class in time ([python_actions] class_timeout): checked here then.
    invalid = check_input(name, cls, params)
    if invalid:
        return {"failed": True, "error": invalid}
    try:
        action = cls(**params)
    except BaseException as e:
        log(traceback.format_exc())
        return {"failed": True,
                "error": "Failed to instantiate an action [action_desc=Dynamic action [name=%s, cls=%s , "
                         "code_source_id=%s, version=%s], input_dict=%s]: %s: %s"
                         % (name, cls, source.get("id"), source.get("version"), params, type(e).__name__, e)}
    return run_action(name, action, DynamicAction(), request.get("context") or {})


def run_action(name, action, shown, context):
    """Runs an action object; `shown` is what the messages call it."""
    from mistral_lib.actions import base as lib_base
    from mistral_lib.actions import types as lib_types

    action_ex_id = (context.get("execution") or {}).get("action_execution_id") or None
    try:
        if isinstance(action, lib_base.Action):
            result = action.run(build_context(context))
        else:
            result = action.run()
        if not isinstance(result, lib_types.Result):
            result = lib_types.Result(data=result)
        is_sync = bool(action.is_sync())
    except BaseException as e:
        log("action %s (action execution %s) raised:\n%s" % (name, action_ex_id, traceback.format_exc()))
        return {"failed": True,
                "error": "The action raised an exception [action=%s, action_ex_id=%s, msg='%s']"
                         % (shown, action_ex_id, e)}
    try:
        if result.is_cancel():
            # Mistral: the action execution CANCELLED, its output
            # {"result": error} (null without one), the task and the
            # workflow CANCELLED.
            answer = {"failed": True, "cancelled": True, "error": to_primitive(result.error)}
        elif result.is_error():
            answer = {"failed": True, "error": to_primitive(result.error)}
        else:
            answer = {"failed": False, "data": to_primitive(result.data)}
        answer["is_sync"] = is_sync
        json.dumps(answer, allow_nan=False)
        return answer
    except BaseException as e:
        return {"failed": True,
                "error": "Failed to complete action due to a Mistral exception [action=%s, action_ex_id=%s]\n %s: "
                         "the result cannot be stored as JSON" % (shown, action_ex_id, e)}


def main():
    die_with_parent()
    sys.addaudithook(REACH.hook)
    config = json.loads(os.environ.get("BORA_PYTHON_WORKER_CONFIG") or "{}")
    catalog = None
    catalog_error = None
    try:
        catalog = Catalog(config)
    except BaseException as e:
        catalog_error = "the Python worker (%s) cannot start: %s: %s" % (sys.executable, type(e).__name__, e)
        log(traceback.format_exc())
    while True:
        request = read_message()
        op = request.get("op")
        if catalog is None:
            answer = {"failed": True, "raised": True, "error": catalog_error}
        elif op == "describe":
            answer = {"data": catalog.describe()}
        elif op == "run":
            answer = run(catalog, request)
        elif op == "run_code":
            answer = run_code(request)
        elif op == "describe_code":
            answer = describe_code(request)
        else:
            answer = {"failed": True, "raised": True, "error": "the Python worker got an unknown request: %r" % op}
        try:
            write_message(answer)
        except (TypeError, ValueError) as e:
            write_message({"failed": True, "error": "the action's answer cannot be sent as JSON: %s" % e})
        sys.stderr.flush()


main()
