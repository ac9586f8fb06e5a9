#define PCRE2_CODE_UNIT_WIDTH 8
#include "bora/core/regex.h"

#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>

#include "bora/core/utf8.h"

namespace bora {

namespace {

RegexLimits g_limits;  // see process_regex_limits(): written once, before threads

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (n < 0) return fmt::format("PCRE2 error {}", code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

// A pattern shown in a message: long ones are cut, so that an error about a
// 1 MB pattern stays readable.
std::string shown(const std::string& pattern) {
  if (pattern.size() <= 200) return pattern;
  return pattern.substr(0, 200) + "...";
}

size_t characters_in(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Result<uint32_t> positive_option(const Config& config, const char* name, long fallback) {
  auto v = config.get_int("expressions", name, fallback);
  if (!v) return v.error();
  if (*v < 1 || *v > 0xFFFFFFFFL)
    return bad_input(fmt::format("[expressions] {} must be a whole number from 1 to 4294967295, not {}", name, *v));
  return static_cast<uint32_t>(*v);
}

}  // namespace

struct Regex::Compiled {
  std::string pattern;
  pcre2_code* code = nullptr;
  size_t groups = 0;
  bool jit = false;  // compiled to machine code too (when the platform allows it)
  ~Compiled() { pcre2_code_free(code); }
};

namespace {

// The JIT's backtracking stack lives on the heap (never the thread's
// stack). Each thread keeps a small one for the everyday match (a JIT stack
// serves one match at a time, and its pages stay with the thread once
// touched, so it is kept small); a match that outgrows it runs again on a
// stack as large as the heap limit, made for that match and freed after it.
// The one memory budget, regex_heap_limit_kb, so covers the JIT and the
// interpreter alike.
constexpr uint32_t kThreadJitStackKb = 1024;

struct JitStack {
  pcre2_jit_stack* stack = nullptr;
  explicit JitStack(uint32_t max_kb) {
    size_t max = static_cast<size_t>(max_kb) * 1024;
    stack = pcre2_jit_stack_create(std::min<size_t>(32 * 1024, max), max, nullptr);
  }
  ~JitStack() { pcre2_jit_stack_free(stack); }
  JitStack(const JitStack&) = delete;
  JitStack& operator=(const JitStack&) = delete;
};

pcre2_jit_stack* thread_jit_stack() {
  thread_local JitStack holder(kThreadJitStackKb);
  return holder.stack;
}

}  // namespace

Result<RegexLimits> regex_limits_from(const Config& config) {
  RegexLimits defaults, out;
  auto match = positive_option(config, "regex_match_limit", defaults.match_limit);
  if (!match) return match.error();
  auto heap = positive_option(config, "regex_heap_limit_kb", defaults.heap_limit_kb);
  if (!heap) return heap.error();
  auto time = positive_option(config, "regex_time_limit_ms", static_cast<long>(defaults.time_limit.count()));
  if (!time) return time.error();
  out.match_limit = *match;
  out.heap_limit_kb = *heap;
  out.time_limit = std::chrono::milliseconds(*time);
  auto cache = config.get_int("expressions", "regex_cache_entries", static_cast<long>(defaults.cache_entries));
  if (!cache) return cache.error();
  if (*cache < 0)
    return bad_input(fmt::format("[expressions] regex_cache_entries must be 0 or more, not {}", *cache));
  out.cache_entries = static_cast<size_t>(*cache);
  return out;
}

const RegexLimits& process_regex_limits() { return g_limits; }
void set_process_regex_limits(const RegexLimits& limits) { g_limits = limits; }

std::optional<std::string> surrogates_as_private_use(std::string_view s) {
  size_t at = s.find('\xED');
  while (at != std::string_view::npos && !is_surrogate_at(s, at)) at = s.find('\xED', at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  std::string out(s);
  for (; at != std::string::npos; at = out.find('\xED', at + 1)) {
    if (!is_surrogate_at(out, at)) continue;
    out[at] = '\xEF';
    out[at + 1] = static_cast<char>(static_cast<unsigned char>(out[at + 1]) - 0x20);
  }
  return out;
}

Result<Regex> Regex::compile(std::string_view given, RegexOptions options) {
  std::optional<std::string> mapped = surrogates_as_private_use(given);
  std::string_view pattern = mapped ? std::string_view(*mapped) : given;
  // UTF: characters, not bytes; UCP: \d \w \s \b and case folding are
  // Unicode's, as in Python 3 for str patterns. LF alone is a newline, as
  // for Python's `.`, `^` and `$`.
  // NEVER_BACKSLASH_C: \C matches one byte and could cut a character in two
  // (Python has no \C either).
  uint32_t flags = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
  if (options.caseless) flags |= PCRE2_CASELESS;
  if (options.multiline) flags |= PCRE2_MULTILINE;
  if (options.dotall) flags |= PCRE2_DOTALL;
  if (options.extended) flags |= PCRE2_EXTENDED;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  if (!context) return Error{ErrorKind::Internal, "out of memory compiling a regular expression"};
  pcre2_set_newline(context, PCRE2_NEWLINE_LF);
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags, &code,
                                       &offset, context);
  pcre2_compile_context_free(context);
  if (!compiled) {
    std::string p(given);
    size_t at = offset <= pattern.size() ? characters_in(pattern.substr(0, offset)) : 0;
    return bad_input(fmt::format("invalid regular expression '{}': {} at position {}", shown(p), pcre2_message(code),
                                 at));
  }
  auto c = std::make_shared<Compiled>();
  c->pattern = std::string(given);
  c->code = compiled;
  uint32_t groups = 0;
  pcre2_pattern_info(compiled, PCRE2_INFO_CAPTURECOUNT, &groups);
  c->groups = groups;
  // The JIT runs a match about ten times faster (a catastrophic pattern
  // reaches the match limit in tens of milliseconds) and backtracks in a
  // tenth of the memory; without it (no executable memory) the interpreter
  // does the same work under the same limits.
  c->jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
  Regex r;
  r.compiled_ = std::move(c);
  return r;
}

const std::string& Regex::pattern() const { return compiled_->pattern; }
size_t Regex::group_count() const { return compiled_->groups; }

std::optional<size_t> Regex::group_number(std::string_view name) const {
  std::string n(name);
  int number = pcre2_substring_number_from_name(compiled_->code, reinterpret_cast<PCRE2_SPTR>(n.c_str()));
  if (number < 0) return std::nullopt;
  return static_cast<size_t>(number);
}

Result<std::optional<RegexMatch>> Regex::search(std::string_view subject, size_t start, const RegexLimits& limits,
                                                bool not_empty_at_start, bool check_utf) const {
  // Match data and context per call: a Regex is shared between threads.
  std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> data(
      pcre2_match_data_create_from_pattern(compiled_->code, nullptr), pcre2_match_data_free);
  std::unique_ptr<pcre2_match_context, void (*)(pcre2_match_context*)> context(pcre2_match_context_create(nullptr),
                                                                               pcre2_match_context_free);
  if (!data || !context) return Error{ErrorKind::Internal, "out of memory matching a regular expression"};
  pcre2_set_match_limit(context.get(), limits.match_limit);
  pcre2_set_heap_limit(context.get(), limits.heap_limit_kb);
  uint32_t options = 0;
  if (not_empty_at_start) options |= PCRE2_NOTEMPTY_ATSTART;
  if (!check_utf) options |= PCRE2_NO_UTF_CHECK;
  // Only a checked subject can hold a surrogate: one passed unchecked comes
  // from for_each_match, which has mapped it already.
  std::optional<std::string> mapped = check_utf ? surrogates_as_private_use(subject) : std::nullopt;
  if (mapped) subject = *mapped;
  auto subject_bytes = reinterpret_cast<PCRE2_SPTR>(subject.data());
  auto match = [&](uint32_t with) {
    return pcre2_match(compiled_->code, subject_bytes, subject.size(), start, with, data.get(), context.get());
  };
  int rc;
  std::optional<JitStack> own;  // a budget below the thread's stack gets a stack of its size
  if (compiled_->jit && limits.heap_limit_kb < kThreadJitStackKb) own.emplace(limits.heap_limit_kb);
  pcre2_jit_stack* small = !compiled_->jit ? nullptr : own ? own->stack : thread_jit_stack();
  if (small) {
    pcre2_jit_stack_assign(context.get(), nullptr, small);
    rc = match(options);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT && limits.heap_limit_kb > kThreadJitStackKb) {
      JitStack large(limits.heap_limit_kb);
      if (large.stack) {
        pcre2_jit_stack_assign(context.get(), nullptr, large.stack);
        rc = match(options);
      }
    }
  } else {
    rc = match(options | PCRE2_NO_JIT);  // the interpreter: its frames on the heap, under the heap limit
  }
  if (rc == PCRE2_ERROR_NOMATCH) return std::optional<RegexMatch>();
  const std::string p = shown(compiled_->pattern);
  if (rc == PCRE2_ERROR_MATCHLIMIT) {
    return Error{ErrorKind::Limit,
                 fmt::format("regular expression '{}' needed more than {} match steps (option [expressions] "
                             "regex_match_limit); nested repetition such as (a+)+ backtracks exponentially: "
                             "rewrite the pattern, or raise the option",
                             p, limits.match_limit)};
  }
  if (rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY) {
    return Error{ErrorKind::Limit,
                 fmt::format("regular expression '{}' needed more than {} KiB of backtracking memory (option "
                             "[expressions] regex_heap_limit_kb); a group repeated once per character of a long text needs a frame each: repeat a character class "
                             "instead ([ab]* rather than (a|b)*), or raise the option",
                             p, limits.heap_limit_kb)};
  }
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
    size_t at = pcre2_get_startchar(data.get());
    return bad_input(fmt::format("regular expression '{}': the text is not valid UTF-8 at byte {} ({})", p, at,
                                 pcre2_message(rc)));
  }
  if (rc < 0) return bad_input(fmt::format("regular expression '{}' failed: {}", p, pcre2_message(rc)));
  RegexMatch m;
  PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
  m.groups.resize(compiled_->groups + 1);
  for (size_t g = 0; g <= compiled_->groups && g < pcre2_get_ovector_count(data.get()); ++g) {
    if (ovector[2 * g] == PCRE2_UNSET) continue;
    m.groups[g] = std::make_pair(static_cast<size_t>(ovector[2 * g]), static_cast<size_t>(ovector[2 * g + 1]));
  }
  // \K can put a match's start after its end; keep the pair ordered.
  if (m.groups[0]->first > m.groups[0]->second) m.groups[0]->first = m.groups[0]->second;
  return std::optional<RegexMatch>(std::move(m));
}

Result<void> Regex::check_time(std::chrono::steady_clock::duration spent, const RegexLimits& limits) const {
  if (spent <= limits.time_limit) return {};
  return Error{ErrorKind::Limit,
               fmt::format("regular expression '{}' ran for more than {} ms over one text (option [expressions] "
                           "regex_time_limit_ms); search a shorter text or a simpler pattern, or raise the option",
                           shown(compiled_->pattern), limits.time_limit.count())};
}

}  // namespace bora
