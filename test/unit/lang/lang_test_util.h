// Helpers shared by the lang tests: loading data files, finding problems.
#pragma once

#include <string>

#include "bora/lang/parser.h"

namespace bora::lang::test {

std::string read_data(const std::string& relative);  // under test/data/lang/

// The problem at `path`, or nullptr.
const Problem* find_problem(const Problems& problems, const std::string& path);

std::string dump(const Problems& problems);

}  // namespace bora::lang::test
