/* bora/plugin.h: the ABI of action packs, plain C so that a pack can be
 * written in any language that makes a C shared object, and built without
 * Bora's sources or its C++ ABI.
 *
 * A pack is a shared object (lib<anything>.so or <anything>.so) in one of
 * the folders of `[executor] plugin_dirs`. At start Bora opens each one,
 * calls bora_plugin_abi() and refuses the pack (logging the file and both
 * versions) unless it answers BORA_PLUGIN_ABI_VERSION; then it calls
 * bora_plugin_describe() and lists the pack's actions beside the std ones
 * (GET /v2/actions, with their input signatures).
 *
 * Packs run in worker processes (the `bora` binary itself, started for the
 * pack, reused between runs), so a pack that crashes or hangs fails the
 * action with a clear error and Bora goes on; a pack named in
 * `[executor] trusted_plugins` runs inside the server instead (no process
 * hop, and no protection). The same pack works both ways.
 *
 * Every string crossing this border is UTF-8 JSON or UTF-8 text, owned by
 * the side that made it: strings the pack returns are released by its
 * free_string, strings the host returns by the host's.
 *
 * A minimal pack: plugins/example/example_pack.c; the guide: docs/ACTIONS.md.
 */
#ifndef BORA_PLUGIN_H
#define BORA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Raised whenever a struct below changes layout or meaning. */
#define BORA_PLUGIN_ABI_VERSION 1u

/* What the host tells a running action besides its input. */
typedef struct bora_run_control {
  /* Nonzero once the action should give up: its task timed out, its
   * execution was cancelled, or the deadline passed. Long actions poll it. */
  int (*should_stop)(const struct bora_run_control* control);
  /* Milliseconds left before the deadline when the run started; -1: none. */
  int64_t deadline_ms;
  void* host_data; /* the host's, untouched by the pack */
} bora_run_control;

/* Services the host offers a pack. */
typedef struct bora_host {
  uint32_t abi_version; /* BORA_PLUGIN_ABI_VERSION of the host */
  /* One HTTP request under the operator's reach rules (the same as std.http:
   * http and https only, `[executor] denied_networks`, the server's own API
   * port, the response size limit). request_json:
   *   {"method": "GET", "url": "https://...", "headers": {"K": "v"},
   *    "body": "text" or null, "timeout": seconds or null,
   *    "insecure": false, "cacert": "/path" or null, "follow_redirects": false}
   * Answers (release with free_string):
   *   {"status": 200, "reason": "OK", "headers": {"content-type": "..."},
   *    "body": "text"}                       (header names in lower case)
   * or {"error": "why no response came"}. Honours control->should_stop. */
  char* (*http)(const struct bora_host* host, const char* request_json, const bora_run_control* control);
  /* level: 0 debug, 1 info, 2 warning, 3 error. */
  void (*log)(const struct bora_host* host, int level, const char* message);
  void (*free_string)(char* text);
  void* host_data;
} bora_host;

/* One action of a pack. */
typedef struct bora_action_decl {
  const char* name; /* "example.greet": Mistral's <pack>.<action> form */
  /* Mistral's params_spec: `name, greeting="Hello", times=1`; defaults are
   * JSON (null, true, 1, "text", [], {}); a last `**kwargs` accepts any
   * other parameter. Required parameters come first. */
  const char* input_signature;
  const char* description;
  /* The class Mistral names in input errors and its executor's messages
   * ("mistral_extra.actions.openstack.actions.NovaAction"); NULL: none. */
  const char* class_name;
} bora_action_decl;

/* What run() says about its answer. */
enum {
  BORA_RESULT_OK = 0,      /* *answer_json is the result */
  BORA_RESULT_ERROR = 1,   /* *answer_json is the error (Mistral's Result(error=...)) */
  BORA_RESULT_RAISED = 2   /* *answer_json is a JSON string: the message of an exception */
};

typedef struct bora_plugin {
  const char* name;    /* the pack's name: `[executor] trusted_plugins` and its config section use it */
  const char* version; /* free text, logged at load */
  size_t action_count;
  const bora_action_decl* actions;
  /* Called once per process before the first run (optional: NULL).
   * config_json: the pack's own configuration section, `[<name>]` of
   * bora.conf, as {"option": "text"}. Nonzero: the pack cannot work; *error
   * (the pack's string, or NULL) says why and Bora lists no action of it. */
  int (*init)(const bora_host* host, const char* config_json, char** error);
  /* Runs one action. input_json: a dict with every parameter of the
   * signature (defaults filled in). context_json: mistral-lib's
   * ActionContext as a dict: {"execution": {"workflow_name",
   * "workflow_execution_id", "task_execution_id", "action_execution_id",
   * "callback_url", "with_items_index", "task_rerun_no",
   * "workflow_propagated_headers"}, "security": {...}} (docs/ACTIONS.md;
   * keys may be added, never removed, within one ABI version). Returns one of
   * BORA_RESULT_* and sets *answer_json (the pack's string). */
  int (*run)(const bora_host* host, const char* action, const char* input_json, const char* context_json,
             const bora_run_control* control, char** answer_json);
  void (*free_string)(char* text);
} bora_plugin;

/* The two symbols a pack exports (BORA_PLUGIN_EXPORT keeps them visible
 * when the pack is built with -fvisibility=hidden). */
#define BORA_PLUGIN_EXPORT __attribute__((visibility("default")))
typedef uint32_t (*bora_plugin_abi_fn)(void);
typedef const bora_plugin* (*bora_plugin_describe_fn)(void);

#define BORA_PLUGIN_ABI_SYMBOL "bora_plugin_abi"
#define BORA_PLUGIN_DESCRIBE_SYMBOL "bora_plugin_describe"

#ifdef __cplusplus
}
#endif

#endif /* BORA_PLUGIN_H */
