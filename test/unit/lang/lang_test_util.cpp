#include "lang_test_util.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bora::lang::test {

std::string read_data(const std::string& relative) {
  std::ifstream in(std::string(BORA_SOURCE_DIR) + "/test/data/lang/" + relative);
  if (!in) throw std::runtime_error("missing test data file " + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Problem* find_problem(const Problems& problems, const std::string& path) {
  for (const auto& p : problems)
    if (p.path == path) return &p;
  return nullptr;
}

std::string dump(const Problems& problems) { return format_problems(problems, "test.yaml"); }

}  // namespace bora::lang::test
