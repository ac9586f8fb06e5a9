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
  // The first error's own Mistral wording, when it has one, leads (see
  // Problem::mistral); otherwise Mistral's generic prefix for a definition
  // its schema refuses.
  std::string lead = problems.empty() || problems.front().mistral.empty() ? "Invalid DSL:" : problems.front().mistral;
  std::string body = format_problems(problems);
  if (!body.empty() && body.back() == '\n') body.pop_back();
  if (problems.size() > 1) {
    // Mistral's words stay whole (clients match on their prefix): "Invalid
    // DSL: 3 problems:", "Task 'b' not found. (2 problems):".
    std::string count = std::to_string(problems.size()) + " problems";
    lead += !lead.empty() && lead.back() == ':' ? " " + count + ":" : " (" + count + "):";
    return bad_input(lead + "\n" + body);
  }
  return bad_input(lead + " " + body);
}

}  // namespace bora::lang
