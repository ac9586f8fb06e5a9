// lang/action_spec: an ad-hoc action (mistral/lang/v2/actions.py): a base
// action with preset base-input, its own input parameters and output.
#include "command_line.h"
#include "spec_parsers.h"

namespace bora::lang::detail {

std::shared_ptr<ActionSpec> parse_action(Checker& c, const std::string& name, const Value& v, const std::string& path) {
  if (!v.is_dict()) {
    c.error(path, "action '" + name + "' must be a mapping with at least 'base', got " + show(v));
    return nullptr;
  }
  auto a = std::make_shared<ActionSpec>();
  a->name = name;
  if (name.empty()) c.key_error(path, "action name must not be empty");
  check_definition_name(c, name, path);
  c.allowed_keys(v, path, {"name", "version", "description", "tags", "base", "base-input", "input", "output"},
                 "action '" + name + "'");
  if (v.find("version")) check_version(c, v, path, false);
  parse_description_and_tags(c, v, path, a->description, a->tags);
  Dict inline_params;
  if (const Value* b = v.find("base")) {
    std::string bp = child_path(path, "base");
    if (c.nonempty_string(*b, bp, "base")) {
      if (auto cmd = parse_command_line(b->as_string())) {
        a->base = cmd->name;
        inline_params = std::move(cmd->params);
      } else {
        c.error(bp, "invalid 'base' value '" + b->as_string() +
                        "'; write an action name optionally followed by parameters, e.g. `std.echo output=\"hi\"`");
      }
    }
  } else {
    c.error(path, "action '" + name + "' has no 'base'; add e.g. `base: std.echo` (the action it calls)");
  }
  Dict base_input;
  if (const Value* bi = v.find("base-input"); bi && c.nonempty_dict(*bi, child_path(path, "base-input"), "base-input"))
    base_input = bi->as_dict();
  for (const auto& [k, val] : inline_params) base_input.set(k, val);
  a->base_input = Value(std::move(base_input));
  if (const Value* in = v.find("input")) a->input = parse_input_params(c, *in, child_path(path, "input"));
  if (const Value* out = v.find("output")) a->output = *out;
  Value data = v;
  // Mistral merges the inline params into the stored base-input when present.
  if (v.find("base-input") && v["base-input"].is_dict()) data = data.with("base-input", static_cast<const Value&>(a->base_input));
  a->data = data.with("name", Value(name)).with("version", Value("2.0"));
  return a;
}

bool check_version(Checker& c, const Value& root, const std::string& path, bool required, VersionCheck how) {
  const Value* v = root.find("version");
  std::string vp = child_path(path, "version");
  if (!v) {
    // Mistral's schema words lead (its first jsonschema line).
    if (required)
      c.error(path, "missing 'version'; add `version: '2.0'` at the top of the definition",
              "Invalid DSL: 'version' is a required property.");
    return !required;
  }
  // Mistral: str(float(version)) must be "2.0".
  bool ok = false;
  if (v->is_int()) ok = v->as_int() == 2;
  else if (v->is_double()) ok = v->as_double() == 2.0;
  else if (v->is_string()) {
    try {
      size_t used = 0;
      std::string s = v->as_string();
      double d = std::stod(s, &used);
      while (used < s.size() && std::isspace(static_cast<unsigned char>(s[used]))) ++used;
      ok = used == s.size() && d == 2.0;
    } catch (...) {
      ok = false;
    }
  }
  if (ok) return true;
  if (how == VersionCheck::schema) {
    bool in_schema = (v->is_string() && !v->as_string().empty()) || (v->is_int() && v->as_int() >= 0) ||
                     (v->is_double() && v->as_double() >= 0);
    if (!in_schema) {
      c.error(vp, "invalid version " + show(*v) + "; write `version: '2.0'`");
      return false;
    }
    c.warning(vp, "version " + show(*v) + " is not '2.0'; Mistral accepts it and reads the definition as version "
                  "2.0: write `version: '2.0'`");
    return true;
  }
  c.error(vp, "unsupported DSL version " + show(*v) + "; the only supported version is '2.0'",
          "Unsupported DSL version: " + (v->is_string() ? v->as_string() : show(*v)));
  return false;
}

}  // namespace bora::lang::detail
