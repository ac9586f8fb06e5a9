// lang/located_yaml: yaml-cpp nodes -> Value, remembering every position by
// path, refusing duplicate keys (PyYAML silently keeps the last one, which
// hides mistakes) and documents past the size/depth/node limits.
#include "bora/lang/located_yaml.h"

#include <malloc.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <set>

#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/core/yaml.h"

namespace bora::lang {

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string p(parent);
  p += '.';
  p += key;
  return p;
}

std::string item_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

static std::string_view parent_of(std::string_view path) {
  size_t cut = path.find_last_of(".[");
  if (cut == std::string_view::npos) return {};
  return path.substr(0, cut);
}

SourcePos LocatedDocument::at(std::string_view path) const {
  std::string p(path);
  while (true) {
    if (auto it = value_positions.find(p); it != value_positions.end() && it->second.known()) return it->second;
    if (auto it = key_positions.find(p); it != key_positions.end()) return it->second;
    if (p.empty()) return {};
    p = std::string(parent_of(p));
  }
}

SourcePos LocatedDocument::key_at(std::string_view path) const {
  if (auto it = key_positions.find(std::string(path)); it != key_positions.end()) return it->second;
  return at(path);
}

namespace {

constexpr const char* kNotParsed = "Definition could not be parsed:";

SourcePos pos_of(const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

struct Loader {
  LocatedDocument& doc;
  Problems& problems;
  std::string_view text;     // what yaml-cpp read (its marks' offsets are into it)
  std::vector<Value> steps;  // the path from the root, as PythonObject::steps
  size_t nodes = 0;
  bool too_big = false;
  // A value Mistral's loader refuses (PyYAML's constructor errors): the
  // document is not parsed, as in Mistral, and nothing else is checked.
  bool not_parsed = false;

  // A date, bytes or a set where Bora reads text: refused, as Mistral
  // refuses them (its schemas where they check the value, its database
  // where they do not: a 500), and remembered for the schema's words.
  void python_object(const YAML::Node& n, const std::string& path, const std::string& repr) {
    doc.python_objects.push_back({steps, repr});
    std::string what, fix;
    if (n.IsMap()) {
      what = "`!!set` makes a Python set of this mapping's keys (" + repr + ")";
      fix = "write a list instead";
    } else if (repr.rfind("datetime.", 0) == 0) {
      what = "'" + n.Scalar() + "' is a " + (repr.rfind("datetime.date(", 0) == 0 ? "date" : "datetime") +
             " to Mistral's YAML loader (" + repr + "), not text";
      fix = "quote it ('" + n.Scalar() + "') to make it text";
    } else {
      what = "`!!binary` makes bytes (" + repr + ")";
      fix = "write the text itself";
    }
    problems.push_back({path, pos_of(n), what + ", and Mistral refuses it in a definition; " + fix});
  }

  // A quoted scalar without its closing quote, which yaml-cpp reads to the
  // end of the text: PyYAML's scanner stops there ("found unexpected end
  // of stream"). False when it does.
  bool closed(const YAML::Node& n, const std::string& path) {
    if (n.Tag() != "!") return true;
    const auto mark = n.Mark();
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text.size()) return true;
    const char quote = text[mark.pos];
    if (quote != '\'' && quote != '"') return true;
    if (pyyaml_quoted_end(text, static_cast<size_t>(mark.pos)) != std::string_view::npos) return true;
    std::string message = quote == '"' ? "this quoted text has no closing double quote"
                                       : "this quoted text has no closing quote";
    message += " before the end of the definition; close it, or remove the opening one";
    std::string words = kNotParsed;
    words += " while scanning a quoted scalar";
    problems.push_back({path, pos_of(n), std::move(message), Severity::error, std::move(words)});
    not_parsed = true;
    return false;
  }

  // What PyYAML's constructor fails on (`!!int abc`, 2020-13-01), a value
  // or a key: Mistral's parse stops there (with a 500), and so does this
  // one. False when it does.
  bool constructs(const YAML::Node& n, const std::string& path) {
    if (!closed(n, path)) return false;
    auto error = pyyaml_scalar_construct_error(n, n.Scalar());
    if (!error) return true;
    // PyYAML's ConstructorError is a YAMLError, which Mistral wraps;
    // Python's ValueError and the like reach its API as they are.
    std::string words = *error;
    if (words.rfind("failed to ", 0) == 0) words.insert(0, kNotParsed).insert(std::strlen(kNotParsed), " ");
    problems.push_back({path, pos_of(n),
                        "Mistral's YAML loader fails on this value (" + *error +
                            "); correct it, or quote it to make it text",
                        Severity::error, std::move(words)});
    not_parsed = true;
    return false;
  }

  Value load(const YAML::Node& n, const std::string& path, size_t depth) {
    if (too_big) return Value();
    if (++nodes > definition_limits().max_nodes) {
      too_big = true;
      problems.push_back({path, pos_of(n),
                          "the definition has more than " + std::to_string(definition_limits().max_nodes) +
                              " YAML nodes; split it into smaller definitions, or raise "
                                    "[definitions] max_nodes"});
      return Value();
    }
    if (depth > definition_limits().max_depth) {
      too_big = true;
      problems.push_back({path, pos_of(n),
                          "the definition is nested deeper than " + std::to_string(definition_limits().max_depth) +
                              " levels; flatten it, or raise [definitions] max_depth"});
      return Value();
    }
    doc.value_positions[path] = pos_of(n);
    // What PyYAML's SafeLoader cannot construct (an unknown tag; as
    // Mistral's loader reads, a plain `*` or `&` alone): Mistral's parse
    // stops there.
    if (auto tag = pyyaml_unconstructible_tag(n, YamlFlavour::mistral_safe_loader, false)) {
      problems.push_back({path, pos_of(n),
                          "Mistral's YAML loader has no type for the tag '" + *tag +
                              "'; remove the tag, or quote the value",
                          Severity::error,
                          std::string(kNotParsed) + " could not determine a constructor for the tag '" + *tag + "'"});
      not_parsed = true;
      return Value();
    }
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Value();
      case YAML::NodeType::Scalar: {
        if (!constructs(n, path)) return Value();
        if (auto repr = pyyaml_object_repr(n, n.Scalar())) python_object(n, path, *repr);
        return yaml_node_to_value(n, 0, YamlFlavour::mistral_safe_loader);
      }
      case YAML::NodeType::Sequence: {
        List l;
        l.reserve(n.size());
        size_t i = 0;
        for (const auto& item : n) {
          steps.emplace_back(static_cast<int64_t>(i));
          l.push_back(load(item, item_path(path, i), depth + 1));
          steps.pop_back();
          ++i;
        }
        return Value(std::move(l));
      }
      case YAML::NodeType::Map: {
        if (auto repr = pyyaml_object_repr(n, "")) python_object(n, path, *repr);
        Dict d;
        // `<<` merges as PyYAML's constructor merges (core/yaml.h).
        YamlMappingPairs merged = yaml_mapping_pairs(n);
        if (!merged.error.empty()) {
          problems.push_back({path, {merged.line, merged.column},
                              merged.error + "; write the keys themselves (Mistral's YAML loader reads an alias "
                                             "such as `*name` as text, so `<<` can only merge a mapping written there)",
                              Severity::error, std::string(kNotParsed) + " while constructing a mapping"});
          not_parsed = true;
          return Value();
        }
        size_t index = 0;
        std::set<std::string> own_keys;
        for (const auto& kv : merged.pairs) {
          const bool from_merge = index++ < merged.merged;
          if (!kv.first.IsScalar()) {
            // PyYAML makes it a list or a dict, which no dict can hash.
            problems.push_back({path, pos_of(kv.first),
                                "a mapping key is a list or a mapping, which Mistral's YAML loader cannot use as a "
                                "key; write a plain name, or quote the key",
                                Severity::error,
                                std::string(kNotParsed) + " " +
                                    pyyaml_collection_key_words(text, kv.first.Mark().line, kv.first.Mark().column)});
            not_parsed = true;
            return Value();
          }
          if (n.Style() == YAML::EmitterStyle::Block && !from_merge) {
            if (auto p = pyyaml_block_entry_problem(kv.first, kv.second, text)) {
              problems.push_back({path, {p->line, p->column}, std::move(p->message), Severity::error,
                                  std::string(kNotParsed) + " " + p->pyyaml_words});
              not_parsed = true;
              return Value();
            }
          }
          if (!constructs(kv.first, path)) return Value();
          Value key = yaml_key_to_value(kv.first, YamlFlavour::mistral_safe_loader);
          std::string k = key.is_string() ? key.as_string()
                          : key.is_bool() ? (key.as_bool() ? "True" : "False")
                          : key.is_null() ? "None"
                                          : kv.first.Scalar();
          if (!key.is_string())
            doc.python_keys.push_back({steps, k,
                                       key.is_bool()     ? "bool"
                                       : key.is_null()   ? "NoneType"
                                       : key.is_double() ? "float"
                                                         : "int",
                                       python_repr(key)});
          std::string p = child_path(path, k);
          // A key that `<<` merged in and the mapping sets again is the
          // point of merging, not a duplicate.
          if (d.contains(k) && !from_merge && own_keys.count(k)) {
            // PyYAML (and so Mistral) keeps the last value without a word:
            // accepted the same way, with a warning, since the first value is
            // silently lost.
            SourcePos first = doc.key_positions[p];
            problems.push_back({p, pos_of(kv.first),
                                "duplicate key '" + k + "' (first defined at line " + std::to_string(first.line) +
                                    "); the last value is used, as Mistral does: remove the other one",
                                Severity::warning});
            doc.value_positions.erase(p);
          }
          if (!from_merge) own_keys.insert(k);
          doc.key_positions[p] = pos_of(kv.first);
          // A key PyYAML makes a date (or bytes) of: Mistral stores no such
          // definition (its JSON has text keys only).
          if (auto repr = pyyaml_object_repr(kv.first, kv.first.Scalar()))
            problems.push_back({p, pos_of(kv.first),
                                "the key '" + k + "' is " +
                                    (repr->rfind("datetime.", 0) == 0 ? "a date" : "bytes") +
                                    " to Mistral's YAML loader (" + *repr +
                                    "), which it cannot store as a key; quote it ('" + k + "') to make it text"});
          steps.emplace_back(k);
          Value v = load(kv.second, p, depth + 1);
          steps.pop_back();
          // An empty value (`key:`) is marked where the next token starts;
          // the key is where the user looks.
          SourcePos& vp = doc.value_positions[p];
          if (!vp.known() || (kv.second.IsNull() && vp.line != pos_of(kv.first).line)) vp = pos_of(kv.first);
          d.set(k, std::move(v));
        }
        return Value(std::move(d));
      }
    }
    return Value();
  }
};

}  // namespace

namespace {
std::atomic<size_t> g_max_bytes{kMaxDefinitionBytes};
std::atomic<size_t> g_max_nodes{kMaxDefinitionNodes};
std::atomic<size_t> g_max_depth{kMaxDefinitionDepth};
}  // namespace

DefinitionLimits definition_limits() noexcept {
  return {g_max_bytes.load(std::memory_order_relaxed), g_max_nodes.load(std::memory_order_relaxed),
          g_max_depth.load(std::memory_order_relaxed)};
}

void set_definition_limits(const DefinitionLimits& limits) noexcept {
  g_max_bytes.store(limits.max_bytes, std::memory_order_relaxed);
  g_max_nodes.store(limits.max_nodes, std::memory_order_relaxed);
  g_max_depth.store(std::min(limits.max_depth, kMaxValueDepth), std::memory_order_relaxed);
}

std::optional<LocatedDocument> load_located_yaml(std::string_view text, Problems& problems) {
  if (text.size() > definition_limits().max_bytes) {
    problems.push_back({"", {1, 1},
                        "the definition is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                            std::to_string(definition_limits().max_bytes) + "; split it into smaller definitions, or raise [definitions] max_bytes"});
    return std::nullopt;
  }
  // yaml-cpp passes bytes that are not UTF-8 through into names and
  // strings, which would then be stored and poison every read of the row.
  if (size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    TextPosition p = text_position(text, bad);
    problems.push_back({"", {static_cast<int>(p.line), static_cast<int>(p.column)},
                        check_utf8(text, "the definition").error().message});
    return std::nullopt;
  }
  LocatedDocument doc;
  // A refused document may have made yaml-cpp allocate a lot (16 MiB of
  // text is ~1 GiB of nodes); glibc keeps freed memory in its arenas, so it
  // is handed back to the system (a few milliseconds) rather than left as
  // resident memory after a hostile request.
  struct TrimOnRefusal {
    const bool& refused;
    ~TrimOnRefusal() {
      if (refused) malloc_trim(0);
    }
  };
  bool refused = false;
  TrimOnRefusal trim{refused};
  // NEL, LS and PS are line breaks to PyYAML (core/yaml.h): read as such.
  const std::string read = pyyaml_prepared_text(text, YamlFlavour::mistral_safe_loader);
  text = read;
  auto stream_problem = pyyaml_stream_problem(text);
  if (stream_problem && stream_problem->pyyaml_words.rfind("unacceptable character", 0) != 0) {
    // PyYAML stops at the first problem in the text. Its reader checks the
    // characters first, but a tab or a second document found by these line
    // checks may come after YAML that already fails: then that failure is
    // what PyYAML reports (below, from yaml-cpp's).
    try {
      (void)load_pyyaml_document(mask_mistral_plain_indicators(text));
    } catch (const YAML::Exception& e) {
      if (e.mark.line >= 0 && (e.mark.line + 1 < stream_problem->line ||
                               (e.mark.line + 1 == stream_problem->line && e.mark.column + 1 < stream_problem->column)))
        stream_problem.reset();
    }
  }
  if (auto p = stream_problem) {
    problems.push_back({"", {p->line, p->column}, std::move(p->message), Severity::error,
                        p->pyyaml_words.empty() ? std::string(kNotParsed)
                                                : std::string(kNotParsed) + " " + p->pyyaml_words});
    return std::nullopt;
  }
  try {
    // Read as Mistral's SafeLoader reads it: `&`, `*` and `@` start plain
    // text (core/yaml.h, YamlFlavour).
    const std::string masked = mask_mistral_plain_indicators(text);
    YAML::Node root = load_pyyaml_document(masked);
    // Measured before converting: a "billion laughs" document (aliases of
    // aliases) is refused in milliseconds, not after expanding a million
    // nodes' paths and positions.
    YamlLimitHit hit = check_yaml_extent(root, definition_limits().max_nodes, definition_limits().max_depth);
    if (hit.kind != YamlLimitHit::None) {
      refused = true;
      problems.push_back({"", {hit.line, hit.column},
                          hit.kind == YamlLimitHit::Nodes
                              ? "the definition has more than " + std::to_string(definition_limits().max_nodes) +
                                    " YAML nodes; split it into smaller definitions, or raise "
                                    "[definitions] max_nodes"
                              : "the definition is nested deeper than " + std::to_string(definition_limits().max_depth) +
                                    " levels; flatten it, or raise [definitions] max_depth"});
      return std::nullopt;
    }
    Loader loader{doc, problems, masked, {}};
    doc.root = loader.load(root, "", 0);
    if (loader.not_parsed) return std::nullopt;
    if (loader.too_big) {
      refused = true;
      return std::nullopt;
    }
  } catch (const YAML::DeepRecursion& e) {
    refused = true;
    // yaml-cpp's own message for this is "bad file".
    problems.push_back({"", {e.mark.line + 1, e.mark.column + 1},
                        "the definition is nested deeper than " + std::to_string(definition_limits().max_depth) +
                            " levels; flatten it, or raise [definitions] max_depth"});
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    // A key alone on its line without its ':' that yaml-cpp took as the
    // start of a plain scalar going on at the next line (and then failed
    // there): PyYAML stops at the key itself.
    std::string pyyaml_words = pyyaml_error_words(e.msg, e.mark.line, e.mark.column, text);
    const bool after_flow_document = pyyaml_words.rfind("expected '<document start>'", 0) == 0;
    if (auto lone = after_flow_document ? std::nullopt : pyyaml_lone_key_line(text, e.mark.line + 1)) {
      problems.push_back({"", {lone->first, lone->second},
                          "this line holds only a key, without ':'; write `key: <value>`, or remove the line",
                          Severity::error, std::string(kNotParsed) + " while scanning a simple key"});
      return std::nullopt;
    }
    // PyYAML's words for the scanner error both parsers name alike (a
    // `key: value` where a plain scalar goes on, as after an anchor that
    // Mistral's loader reads as text: `wf: &w` then a mapping).
    std::string words = kNotParsed;
    if (!pyyaml_words.empty()) words += " " + pyyaml_words;
    problems.push_back({"", {e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg, Severity::error,
                        std::move(words)});
    return std::nullopt;
  } catch (const BoraError& e) {
    problems.push_back({"", {}, e.error().message});
    return std::nullopt;
  }
  return doc;
}

Parsed<LocatedDocument> load_located_yaml(std::string_view text) {
  Problems problems;
  auto doc = load_located_yaml(text, problems);
  if (has_errors(problems) || !doc) return problems;
  return Parsed<LocatedDocument>(std::move(*doc), std::move(problems));
}

LocatedDocument unlocated(Value root) {
  LocatedDocument d;
  d.root = std::move(root);
  return d;
}

static void walk(const LocatedDocument& doc, const Value& v, const std::string& path, const StringVisitor& fn) {
  switch (v.type()) {
    case Value::Type::String:
      fn(path, doc.at(path), v.as_string());
      break;
    case Value::Type::List: {
      size_t i = 0;
      for (const auto& item : v.as_list()) walk(doc, item, item_path(path, i++), fn);
      break;
    }
    case Value::Type::Dict:
      for (const auto& [k, item] : v.as_dict()) walk(doc, item, child_path(path, k), fn);
      break;
    default:
      break;
  }
}

void for_each_string(const LocatedDocument& doc, const StringVisitor& fn) { walk(doc, doc.root, "", fn); }

void for_each_string(const LocatedDocument& doc, std::string_view under, const StringVisitor& fn) {
  // Resolve the path step by step (keys may not contain '.').
  const Value* v = &doc.root;
  std::string path;
  std::string_view rest = under;
  while (!rest.empty() && v) {
    size_t dot = rest.find('.');
    std::string_view key = rest.substr(0, dot);
    v = v->is_dict() ? v->find(key) : nullptr;
    path = child_path(path, key);
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  if (v) walk(doc, *v, path, fn);
}

}  // namespace bora::lang
