/* plugins/example/example_pack.c: a minimal Bora action pack, in C.
 *
 * It shows the whole ABI of bora/plugin.h: the two exported functions, the
 * action table with Mistral-style input signatures, an init() reading the
 * pack's configuration section ([example] in bora.conf), a run() that
 * answers results, errors and exceptions as JSON, and an action that
 * honours cancellation and the deadline. It needs no JSON library: its
 * inputs are small and it reads them with a few string searches; a real
 * pack would use one (plugins/openstack uses RapidJSON).
 *
 * Build: cc -shared -fPIC -I<bora>/include example_pack.c -o example.so
 * Use:   [executor] plugin_dirs = /folder/with/the/so   (docs/ACTIONS.md)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bora/plugin.h"

static const bora_action_decl actions[] = {
    {"example.greet", "name, greeting=\"Hello\"",
     "Returns \"<greeting>, <name>!\" (greeting defaults to [example] greeting, else \"Hello\").", NULL},
    {"example.add", "a, b", "Returns a + b (two integers).", NULL},
    {"example.context", "", "Returns the action's context: its execution ids and the starter's identity.", NULL},
    {"example.wait", "seconds=1",
     "Waits 'seconds' seconds, giving up early when the task times out or the execution is cancelled.", NULL},
    {"example.fail", "message=\"failed on purpose\"", "Fails with an error result {\"message\": ...}.", NULL},
};

static char configured_greeting[64] = "";

/* A copy of text on the heap (released by pack_free). */
static char* dup_text(const char* text) {
  size_t n = strlen(text);
  char* out = malloc(n + 1);
  if (out) memcpy(out, text, n + 1);
  return out;
}

/* The raw JSON value of a top-level key of a flat object (good enough for
 * this pack's inputs, which Bora has already checked against the
 * signature); NULL when absent. The caller frees it. */
static char* json_field(const char* json, const char* key) {
  char pattern[80];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char* at = strstr(json, pattern);
  if (!at) return NULL;
  at += strlen(pattern);
  while (*at == ' ') ++at;
  const char* end = at;
  if (*end == '"') {
    for (++end; *end && *end != '"'; ++end)
      if (*end == '\\' && end[1]) ++end;
    if (*end) ++end;
  } else {
    while (*end && *end != ',' && *end != '}') ++end;
  }
  char* out = malloc((size_t)(end - at) + 1);
  if (!out) return NULL;
  memcpy(out, at, (size_t)(end - at));
  out[end - at] = '\0';
  return out;
}

static int pack_init(const bora_host* host, const char* config_json, char** error) {
  char* greeting = json_field(config_json, "greeting");
  if (greeting) {
    /* "Hi" -> Hi (a configured greeting is a plain word or two). */
    size_t n = strlen(greeting);
    if (n >= 2 && n - 2 < sizeof configured_greeting) {
      memcpy(configured_greeting, greeting + 1, n - 2);
      configured_greeting[n - 2] = '\0';
    }
    free(greeting);
  }
  host->log(host, 1, "example pack ready");
  (void)error;
  return 0;
}

static int pack_run(const bora_host* host, const char* action, const char* input_json, const char* context_json,
                    const bora_run_control* control, char** answer_json) {
  char buffer[512];
  (void)host;
  if (strcmp(action, "example.greet") == 0) {
    char* name = json_field(input_json, "name");
    char* greeting = json_field(input_json, "greeting");
    if (!name || name[0] != '"' || !greeting || greeting[0] != '"') {
      free(name);
      free(greeting);
      *answer_json = dup_text("\"example.greet takes a string name and greeting\"");
      return BORA_RESULT_RAISED;
    }
    /* The signature's default gives way to the configured greeting. */
    const char* chosen = strcmp(greeting, "\"Hello\"") == 0 && configured_greeting[0] ? configured_greeting : NULL;
    /* Both are JSON strings: their text without the quotes goes in. */
    if (chosen)
      snprintf(buffer, sizeof buffer, "\"%s, %.*s!\"", chosen, (int)strlen(name) - 2, name + 1);
    else
      snprintf(buffer, sizeof buffer, "\"%.*s, %.*s!\"", (int)strlen(greeting) - 2, greeting + 1,
               (int)strlen(name) - 2, name + 1);
    free(name);
    free(greeting);
    *answer_json = dup_text(buffer);
    return BORA_RESULT_OK;
  }
  if (strcmp(action, "example.add") == 0) {
    char* a = json_field(input_json, "a");
    char* b = json_field(input_json, "b");
    char* end_a = NULL;
    char* end_b = NULL;
    long long x = a ? strtoll(a, &end_a, 10) : 0, y = b ? strtoll(b, &end_b, 10) : 0;
    int ok = a && b && *a && *b && end_a && !*end_a && end_b && !*end_b;
    free(a);
    free(b);
    if (!ok) {
      /* An exception in Mistral's terms: the executor wraps the message. */
      *answer_json = dup_text("\"example.add takes two integers\"");
      return BORA_RESULT_RAISED;
    }
    snprintf(buffer, sizeof buffer, "%lld", x + y);
    *answer_json = dup_text(buffer);
    return BORA_RESULT_OK;
  }
  if (strcmp(action, "example.context") == 0) {
    *answer_json = dup_text(context_json);
    return BORA_RESULT_OK;
  }
  if (strcmp(action, "example.wait") == 0) {
    char* seconds = json_field(input_json, "seconds");
    double total = seconds ? atof(seconds) : 1.0;
    free(seconds);
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (double waited = 0; waited < total; waited += 0.02) {
      if (control->should_stop(control)) {
        *answer_json = dup_text("\"example.wait was stopped (task timeout or cancelled execution)\"");
        return BORA_RESULT_RAISED;
      }
      nanosleep(&tick, NULL);
    }
    *answer_json = dup_text("null");
    return BORA_RESULT_OK;
  }
  if (strcmp(action, "example.fail") == 0) {
    char* message = json_field(input_json, "message");
    snprintf(buffer, sizeof buffer, "{\"message\": %s}", message ? message : "null");
    free(message);
    *answer_json = dup_text(buffer);
    return BORA_RESULT_ERROR;
  }
  snprintf(buffer, sizeof buffer, "\"the example pack has no action %.200s\"", action);
  *answer_json = dup_text(buffer);
  return BORA_RESULT_RAISED;
}

static void pack_free(char* text) { free(text); }

static const bora_plugin pack = {
    "example", "1.0", sizeof actions / sizeof actions[0], actions, pack_init, pack_run, pack_free,
};

BORA_PLUGIN_EXPORT uint32_t bora_plugin_abi(void) { return BORA_PLUGIN_ABI_VERSION; }
BORA_PLUGIN_EXPORT const bora_plugin* bora_plugin_describe(void) { return &pack; }
