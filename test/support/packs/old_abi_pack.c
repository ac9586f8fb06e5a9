/* A pack built for another plugin ABI version, for test_plugins.py: Bora
 * must refuse it at load, logging the file and both versions, and never
 * call its describe function (whose struct layout it cannot know). */
#include <stdlib.h>

#include "bora/plugin.h"

BORA_PLUGIN_EXPORT uint32_t bora_plugin_abi(void) { return BORA_PLUGIN_ABI_VERSION + 41u; }
BORA_PLUGIN_EXPORT const bora_plugin* bora_plugin_describe(void) {
  abort(); /* reading it would be the bug the version check prevents */
}
