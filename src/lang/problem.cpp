// lang/problem: human and API renderings of validation problems.
#include "bora/lang/problem.h"

namespace bora::lang {

std::string format_problems(const Problems& problems, std::string_view file) {
  std::string out;
  for (const auto& p : problems) {
    std::string line;
    if (!file.empty()) line += std::string(file) + ":";
    if (p.pos.known()) line += std::to_string(p.pos.line) + ":" + std::to_string(p.pos.column) + ":";
    if (!line.empty()) line += " ";
    if (!p.path.empty()) line += p.path + ": ";
    line += p.message;
    out += line;
    out += '\n';
  }
  return out;
}

Error problems_to_error(const Problems& problems) {
  std::string msg = "Invalid DSL: ";
  std::string body = format_problems(problems);
  if (!body.empty() && body.back() == '\n') body.pop_back();
  if (problems.size() > 1) msg = "Invalid DSL (" + std::to_string(problems.size()) + " problems):\n";
  return bad_input(msg + body);
}

}  // namespace bora::lang
