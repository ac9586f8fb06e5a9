// lang/api_views: the REST API's renderings of specs in Mistral's formats
// (mistral/api/controllers/v2/resources.py, services/workflows.py).
#include "bora/lang/api_views.h"

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/yaml.h"

namespace bora::lang {

std::string input_signature(const std::vector<InputParam>& input) {
  std::string out;
  for (const auto& p : input) {
    if (!out.empty()) out += ", ";
    out += p.name;
    // resources.py: '%s="%s"' % (k, v), i.e. Python str() of the default.
    if (p.default_value) out += "=\"" + python_str(*p.default_value) + "\"";
  }
  return out;
}

std::string action_input_signature(const std::vector<InputParam>& input) {
  std::string out;
  for (const auto& p : input) {
    if (!out.empty()) out += ", ";
    out += p.name;
    // services/adhoc_actions.py: "%s=%s" % (k, json.dumps(v)).
    if (p.default_value) out += "=" + to_json(*p.default_value, JsonFormat::python());
  }
  return out;
}

Value input_as_value(const std::vector<InputParam>& input) {
  List l;
  for (const auto& p : input) {
    if (p.default_value)
      l.push_back(Value::dict({{p.name, *p.default_value}}));
    else
      l.push_back(Value(p.name));
  }
  return Value(std::move(l));
}

Value tags_value(const std::vector<std::string>& tags) {
  std::vector<Value> items;
  items.reserve(tags.size());
  for (const auto& t : tags) items.emplace_back(t);
  return Value(std::move(items));
}

Value workflow_interface(const WorkflowSpec& wf) {
  List outputs;
  if (wf.output.is_dict())
    for (const auto& [k, _] : wf.output.as_dict()) outputs.push_back(Value(k));
  Value in = wf.data.find("input") ? wf.data["input"] : Value(List{});
  return Value::dict({{"input", in}, {"output", Value(std::move(outputs))}});
}

std::string workflow_definition(const WorkflowsDocument& doc, const std::string& workflow_name) {
  if (doc.workflows.size() == 1) return doc.text;
  const Value& root = doc.source->root;
  Dict d;
  d.set("version", root["version"]);
  if (const Value* wf = root.find(workflow_name)) d.set(workflow_name, *wf);
  return to_yaml(Value(std::move(d)));
}

std::string workbook_item_definition(std::string_view text, std::string_view section, std::string_view item_name) {
  // mistral.lang.parser._parse_def_from_wb, line by line.
  std::string header = std::string(section) + ":";
  size_t at = text.find(header);
  if (at == std::string_view::npos) return "\n";
  std::vector<std::string_view> lines;
  size_t pos = at;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  auto strip = [](std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string_view::npos) return std::string_view{};
    size_t e = s.find_last_not_of(" \t\r\n\f\v");
    return s.substr(b, e - b + 1);
  };
  std::string item = std::string(item_name) + ":";
  std::string out;
  size_t i = 1, indent = 0;
  bool found = false;
  for (; i < lines.size(); ++i) {
    if (strip(lines[i]) == item) {
      indent = lines[i].find(item);
      out += std::string(lines[i].substr(lines[i].find_first_not_of(" \t\r\n\f\v")));
      found = true;
      ++i;
      break;
    }
  }
  if (found) {
    for (; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      std::string_view s = strip(line);
      if (s.empty()) {
        out += std::string(line);
      } else if (s.front() == '#') {
        size_t hash = line.find('#');
        out += std::string(indent > hash ? line : line.substr(std::min(indent, line.size())));
      } else {
        size_t lead = line.find_first_not_of(" \t\r\n\f\v");
        if (indent < lead)
          out += std::string(line.substr(indent));
        else
          break;
      }
    }
  }
  while (!out.empty() && std::string_view(" \t\r\n\f\v").find(out.back()) != std::string_view::npos) out.pop_back();
  return out + "\n";
}

}  // namespace bora::lang
