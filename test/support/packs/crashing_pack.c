/* A pack with bugs, for test/integration/test_plugins.py: one action
 * crashes the process it runs in (SIGSEGV), one never ends. Untrusted,
 * each must fail only its own action and leave the server running. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bora/plugin.h"

static const bora_action_decl actions[] = {
    {"crashing.segfault", "", "Writes through a null pointer.", NULL},
    {"crashing.hang", "", "Loops for ever without looking at the stop flag.", NULL},
    {"crashing.ok", "", "Returns true (the pack works between crashes).", NULL},
};

static char* dup_text(const char* text) {
  char* out = malloc(strlen(text) + 1);
  if (out) strcpy(out, text);
  return out;
}

static int run(const bora_host* host, const char* action, const char* input_json, const char* context_json,
               const bora_run_control* control, char** answer_json) {
  (void)host, (void)input_json, (void)context_json, (void)control;
  if (strcmp(action, "crashing.segfault") == 0) {
    raise(SIGSEGV); /* what a null write does, without the compiler's opinion of one */
  }
  if (strcmp(action, "crashing.hang") == 0) {
    for (volatile int spin = 1; spin;) {
    }
  }
  *answer_json = dup_text("true");
  return BORA_RESULT_OK;
}

static void free_text(char* text) { free(text); }

static const bora_plugin pack = {"crashing", "0", 3, actions, NULL, run, free_text};

BORA_PLUGIN_EXPORT uint32_t bora_plugin_abi(void) { return BORA_PLUGIN_ABI_VERSION; }
BORA_PLUGIN_EXPORT const bora_plugin* bora_plugin_describe(void) { return &pack; }
