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
    if (p.is_warning()) line += "warning: ";
    line += p.message;
    out += line;
    out += '\n';
  }
  return out;
}

bool has_errors(const Problems& problems) {
  for (const auto& p : problems)
    if (!p.is_warning()) return true;
  return false;
}

Problems errors_of(const Problems& problems) {
  Problems out;
  for (const auto& p : problems)
    if (!p.is_warning()) out.push_back(p);
  return out;
}

Problems warnings_of(const Problems& problems) {
  Problems out;
  for (const auto& p : problems)
    if (p.is_warning()) out.push_back(p);
  return out;
}

Error problems_to_error(const Problems& all) {
  Problems problems = has_errors(all) ? errors_of(all) : all;
  std::string msg = "Invalid DSL: ";
  std::string body = format_problems(problems);
  if (!body.empty() && body.back() == '\n') body.pop_back();
  if (problems.size() > 1) msg = "Invalid DSL (" + std::to_string(problems.size()) + " problems):\n";
  return bad_input(msg + body);
}

}  // namespace bora::lang
