#include "bora/expr/compiled.h"

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "bora/expr/jinja/jinja.h"
#include "bora/expr/yaql/yaql.h"

namespace bora::expr {

std::shared_ptr<const CompiledTemplate> compile_template(std::string_view text) {
  auto out = std::make_shared<CompiledTemplate>();
  out->text = std::string(text);
  TemplateScan scan = scan_template(text);
  out->language = scan.language;
  out->lone = scan.lone;
  if (scan.language == TemplateLanguage::Jinja) {
    out->mixed = !scan.yaql.empty();
    out->jinja_has_expression = scan.jinja_expression.has_value();
    if (scan.lone) {
      const Span& e = *scan.jinja_expression;
      auto compiled = jinja::compile_expression(text.substr(e.begin + 2, e.end - e.begin - 4));
      if (compiled) out->jinja_expression = *compiled;
      else out->jinja_error = compiled.error();
    } else {
      auto compiled = jinja::compile_template(text);
      if (compiled) out->jinja_template = *compiled;
      else out->jinja_error = compiled.error();
    }
    return out;
  }
  size_t pos = 0;
  for (const YaqlPart& part : scan.yaql) {
    CompiledTemplate::YaqlPart p;
    p.literal = std::string(text.substr(pos, part.span.begin - pos));
    p.expression = std::string(part.expression);
    auto compiled = yaql::compile(part.expression);
    if (compiled) p.program = *compiled;
    else p.error = compiled.error();
    out->yaql.push_back(std::move(p));
    pos = part.span.end;
  }
  out->tail = std::string(text.substr(pos));
  return out;
}

namespace {

struct TemplateCache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const CompiledTemplate>> templates;
  std::atomic<size_t> bound{kDefaultTemplateCacheEntries};
};

TemplateCache& template_cache() {
  static TemplateCache cache;
  return cache;
}

}  // namespace

std::shared_ptr<const CompiledTemplate> shared_template(std::string_view text) {
  TemplateCache& cache = template_cache();
  std::string key(text);
  {
    std::lock_guard lock(cache.mutex);
    if (auto it = cache.templates.find(key); it != cache.templates.end()) return it->second;
  }
  auto compiled = compile_template(text);  // outside the lock: compiling may take a while
  size_t bound = cache.bound.load(std::memory_order_relaxed);
  std::lock_guard lock(cache.mutex);
  if (cache.templates.size() >= bound) cache.templates.clear();
  if (bound > 0) cache.templates.emplace(std::move(key), compiled);
  return compiled;
}

size_t cached_templates() {
  TemplateCache& cache = template_cache();
  std::lock_guard lock(cache.mutex);
  return cache.templates.size();
}

void set_template_cache_entries(size_t entries) {
  TemplateCache& cache = template_cache();
  cache.bound.store(entries, std::memory_order_relaxed);
  std::lock_guard lock(cache.mutex);
  if (cache.templates.size() > entries) cache.templates.clear();
}

namespace {

CompiledValue::Node compile_node(const Value& v, int depth) {
  CompiledValue::Node node;
  if (depth > kMaxEvaluatedDepth) {
    node.too_deep = true;
    node.constant = false;
    return node;
  }
  if (v.is_string()) {
    if (has_expression(v.as_string())) {
      node.tmpl = shared_template(v.as_string());
      node.constant = false;
    }
    return node;
  }
  auto add = [&](const Value& item) {
    node.items.push_back(compile_node(item, depth + 1));
    if (!node.items.back().constant) node.constant = false;
  };
  if (v.is_list()) {
    node.items.reserve(v.size());
    for (const auto& item : v.as_list()) add(item);
  } else if (v.is_dict()) {
    node.items.reserve(v.size());
    for (const auto& [k, item] : v.as_dict()) add(item);
  }
  if (node.constant) node.items.clear();
  return node;
}

}  // namespace

CompiledValue::CompiledValue(Value value) : Value(std::move(value)) {
  Node node = compile_node(*this, 0);
  if (!node.constant) root_ = std::make_shared<const Node>(std::move(node));
}

}  // namespace bora::expr
