// core/file: reading a whole text file (or standard input) with a size limit
// and an error that names the file, for the subcommands and configuration.
#pragma once

#include <cstddef>
#include <string>

#include "bora/core/error.h"

namespace bora {

// path "-" reads standard input. Refuses files larger than max_bytes.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = 64 * 1024 * 1024);

}  // namespace bora
