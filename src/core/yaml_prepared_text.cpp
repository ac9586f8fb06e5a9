// The text given to yaml-cpp so that it reads what PyYAML reads, where the
// two read the same characters differently.
//
// Line breaks. PyYAML's are '\n', '\r\n', '\r', NEL (U+0085), LS (U+2028)
// and PS (U+2029); yaml-cpp knows only the first three, so the others are
// made '\n': the document then has PyYAML's lines (a plain scalar or a
// comment ends at LS, the next token starts at column 0 after it). PyYAML
// folds NEL as '\n', but keeps LS and PS in a scalar's content where it
// folds a '\n' (scan_line_break returns them as they are): `"x<LS>  y"`,
// `'x<LS>y'`, a plain `x<LS>  y` and a block scalar's `x<LS>  y` all read
// 'x\u2028y'.
//
// Block scalars. yaml-cpp drops the trailing blank lines a folded scalar
// keeps with `>+` ('x\n' where PyYAML reads 'x\n\n'), and ends a sequence
// where an entry's dash stands alone and its block scalar's indicator
// starts the next line at the dash's column (moved one column right).
//
// Each such scalar is written again as a double-quoted scalar that
// yaml-cpp reads to PyYAML's content: LS and PS as the escapes `\L` and
// `\P`, every line break of the original kept as an escaped line break
// (`\` at the line's end, which adds nothing) or as a line break after the
// scalar, so that line numbers stay.
#include "bora/core/yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/ascii.h"
#include "bora/core/utf8.h"

namespace bora {

namespace {

constexpr std::string_view kNel = "\xC2\x85";
constexpr std::string_view kLs = "\xE2\x80\xA8";
constexpr std::string_view kPs = "\xE2\x80\xA9";

// The text with every NEL, LS and PS a '\n', and what each '\n' that was
// LS or PS stood for.
struct LineBreaks {
  std::string text;
  std::map<size_t, std::string_view> kept;

  std::string_view at(size_t pos) const {
    auto it = kept.find(pos);
    return it == kept.end() ? std::string_view("\n") : it->second;
  }
  bool any_kept(size_t from, size_t to) const {
    auto it = kept.lower_bound(from);
    return it != kept.end() && it->first < to;
  }
};

LineBreaks read_line_breaks(std::string_view in) {
  LineBreaks out;
  out.text.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    std::string_view rest = in.substr(i);
    if (rest.substr(0, 2) == kNel) {
      out.text.push_back('\n');
      i += 2;
    } else if (rest.substr(0, 3) == kLs || rest.substr(0, 3) == kPs) {
      out.kept.emplace(out.text.size(), rest.substr(0, 3) == kLs ? kLs : kPs);
      out.text.push_back('\n');
      i += 3;
    } else {
      out.text.push_back(in[i++]);
    }
  }
  return out;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A run of blanks and line breaks inside a scalar: [begin, end), with the
// position of each line break. What PyYAML folds as one.
struct Run {
  size_t begin = 0, end = 0;
  std::vector<size_t> breaks;
};

// The run at `at`: blanks, then at least one line break, each followed by
// blanks; nullopt when no line break follows the blanks.
std::optional<Run> run_at(std::string_view t, size_t at) {
  size_t k = at;
  while (k < t.size() && blank(t[k])) ++k;
  if (k >= t.size() || t[k] != '\n') return std::nullopt;
  Run run;
  run.begin = at;
  while (k < t.size() && t[k] == '\n') {
    run.breaks.push_back(k++);
    while (k < t.size() && blank(t[k])) ++k;
  }
  run.end = k;
  return run;
}

// Content as a double-quoted scalar writes it.
void append_escaped(std::string& out, std::string_view piece) {
  if (piece == "\n") {
    out += "\\n";
  } else if (piece == kLs) {
    out += "\\L";
  } else if (piece == kPs) {
    out += "\\P";
  } else {
    for (char c : piece) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
}

// PyYAML's folding of a run in a flow or plain scalar (scan_plain_spaces,
// scan_flow_scalar_spaces): the first break as itself unless it is '\n'
// (which is a space when alone, nothing before more breaks), then each
// further break as itself; the blanks around them are dropped. Written so
// that each line break of the run is an escaped one.
void append_folded_run(std::string& out, const LineBreaks& lb, const Run& run) {
  for (size_t i = 0; i < run.breaks.size(); ++i) {
    std::string_view brk = lb.at(run.breaks[i]);
    if (i > 0 || brk != "\n") append_escaped(out, brk);
    out += "\\\n";
  }
}

// A single- or double-quoted scalar from its opening quote, as a
// double-quoted one; `end` is set past its closing quote.
std::optional<std::string> requote_flow(const LineBreaks& lb, size_t q, size_t& end) {
  const std::string& t = lb.text;
  const char quote = t[q];
  std::string out = "\"";
  for (size_t k = q + 1; k < t.size();) {
    const char c = t[k];
    if (quote == '"' && c == '\\' && k + 1 < t.size()) {
      out.append(t, k, 2);
      k += 2;
      // An escaped line break: the breaks after it are kept, each as
      // itself, none folded (scan_flow_scalar_breaks).
      if (t[k - 1] == '\n')
        if (auto run = run_at(t, k); run && lb.any_kept(run->begin, run->end)) {
          for (size_t b : run->breaks) {
            append_escaped(out, lb.at(b));
            out += "\\\n";
          }
          k = run->end;
        }
    } else if (c == quote && quote == '\'' && k + 1 < t.size() && t[k + 1] == '\'') {
      out += '\'';
      k += 2;
    } else if (c == quote) {
      end = k + 1;
      return out + '"';
    } else if (auto run = blank(c) || c == '\n' ? run_at(t, k) : std::nullopt) {
      if (lb.any_kept(run->begin, run->end))
        append_folded_run(out, lb, *run);
      else
        out.append(t, run->begin, run->end - run->begin);
      k = run->end;
    } else {
      if (quote == '\'' && (c == '"' || c == '\\')) out += '\\';
      out += c;
      ++k;
    }
  }
  return std::nullopt;
}

// A plain scalar from its first character, as a double-quoted one, when an
// LS or PS runs through it. Its end is where yaml-cpp's value `read` (which
// folded each break as a '\n') is used up: the text and the value are
// walked together, each run of the text being the value's ' ' or '\n's.
std::optional<std::string> requote_plain(const LineBreaks& lb, std::string_view masked, size_t p,
                                         std::string_view read, size_t& end) {
  std::string out = "\"";
  bool kept = false;
  size_t i = 0, k = p;
  while (i < read.size()) {
    if (k >= masked.size()) return std::nullopt;
    if (auto run = run_at(masked, k)) {
      const size_t n = run->breaks.size();
      const std::string fold = n == 1 ? std::string(" ") : std::string(n - 1, '\n');
      if (read.substr(i, fold.size()) != fold) return std::nullopt;
      i += fold.size();
      if (lb.any_kept(run->begin, run->end)) {
        kept = true;
        append_folded_run(out, lb, *run);
      } else {
        out.append(lb.text, run->begin, run->end - run->begin);
      }
      k = run->end;
      continue;
    }
    if (masked[k] != read[i]) return std::nullopt;
    append_escaped(out, std::string_view(lb.text).substr(k, 1));
    ++k;
    ++i;
  }
  if (!kept) return std::nullopt;
  end = k;
  return out + '"';
}

// A literal or folded block scalar from its indicator, read as PyYAML's
// scan_block_scalar reads it, LS and PS breaks as themselves. `parent`:
// the indentation of the block collection holding it (PyYAML's
// self.indent: its keys' or its dashes' column; -1 at the top). `end` is
// set past the last content line's text (before its line break), or to
// the header line's end when there is none.
std::optional<std::string> pyyaml_block_scalar(std::string_view t, size_t p, const LineBreaks& lb, int parent,
                                               size_t& end) {
  const bool folded = t[p] == '>';
  size_t k = p + 1;
  int chomping = 0;  // -1 strip, 0 clip, 1 keep
  size_t increment = 0;
  for (; k < t.size() && t[k] != '\n' && t[k] != ' ' && t[k] != '#'; ++k) {
    if (t[k] == '+' || t[k] == '-') {
      chomping = t[k] == '+' ? 1 : -1;
    } else if (t[k] >= '1' && t[k] <= '9' && !increment) {
      increment = static_cast<size_t>(t[k] - '0');
    } else {
      return std::nullopt;
    }
  }
  k = t.find('\n', k);
  if (k == std::string_view::npos) return std::nullopt;
  end = k > p && t[k - 1] == '\r' ? k - 1 : k;
  ++k;
  auto brk = [&](size_t at) { return lb.at(at); };
  std::string chunks;
  std::vector<std::string_view> breaks;
  size_t col = 0;
  // scan_block_scalar_breaks: line breaks, each line's indentation up to
  // `indent` skipped.
  auto scan_breaks = [&](size_t indent) {
    breaks.clear();
    col = 0;
    while (col < indent && k < t.size() && t[k] == ' ') ++k, ++col;
    while (k < t.size() && (t[k] == '\n' || t[k] == '\r')) {
      if (t[k] == '\r' && k + 1 < t.size() && t[k + 1] == '\n') ++k;
      breaks.push_back(brk(k++));
      col = 0;
      while (col < indent && k < t.size() && t[k] == ' ') ++k, ++col;
    }
  };
  const size_t min_indent = static_cast<size_t>(std::max(parent + 1, 1));
  size_t indent = 0;
  if (increment) {
    indent = min_indent + increment - 1;
    scan_breaks(indent);
  } else {
    // scan_block_scalar_indentation: blank lines before the first content.
    size_t max_indent = 0;
    while (k < t.size() && (t[k] == ' ' || t[k] == '\n' || t[k] == '\r')) {
      if (t[k] == ' ') {
        ++k;
        max_indent = std::max(max_indent, ++col);
      } else {
        if (t[k] == '\r' && k + 1 < t.size() && t[k + 1] == '\n') ++k;
        breaks.push_back(brk(k++));
        col = 0;
      }
    }
    indent = std::max(min_indent, max_indent);
  }
  std::string_view line_break;
  while (col == indent && k < t.size()) {
    for (std::string_view b : breaks) chunks += b;
    const bool leading_non_space = t[k] != ' ' && t[k] != '\t';
    size_t stop = k;
    while (stop < t.size() && t[stop] != '\n' && t[stop] != '\r') ++stop;
    chunks.append(t.substr(k, stop - k));
    end = k = stop;
    line_break = "";
    if (k < t.size()) {
      if (t[k] == '\r' && k + 1 < t.size() && t[k + 1] == '\n') ++k;
      line_break = brk(k++);
    }
    scan_breaks(indent);
    if (col == indent && k < t.size()) {
      if (folded && line_break == "\n" && leading_non_space && t[k] != ' ' && t[k] != '\t') {
        if (breaks.empty()) chunks += ' ';
      } else {
        chunks += line_break;
      }
    } else {
      break;
    }
  }
  if (chomping >= 0) chunks += line_break;
  if (chomping > 0)
    for (std::string_view b : breaks) chunks += b;
  return chunks;
}

// A block scalar whose content PyYAML reads otherwise than yaml-cpp did
// (`read`): an LS or PS runs through it, or it keeps trailing blank lines
// after folding. As a double-quoted scalar on its indicator's line followed
// by as many line breaks as it spanned.
std::optional<std::string> requote_block(const LineBreaks& lb, size_t p, int parent, std::string read, size_t& end) {
  auto value = pyyaml_block_scalar(lb.text, p, lb, parent, end);
  unmask_mistral_plain_indicators(read);
  if (!value || *value == read) return std::nullopt;
  std::string out = "\"";
  for (size_t i = 0; i < value->size();) {
    std::string_view rest = std::string_view(*value).substr(i);
    size_t n = rest.substr(0, 3) == kLs || rest.substr(0, 3) == kPs ? 3 : 1;
    append_escaped(out, rest.substr(0, n));
    i += n;
  }
  out += '"';
  out.append(static_cast<size_t>(std::count(lb.text.begin() + p, lb.text.begin() + end, '\n')), '\n');
  return out;
}

struct Rewrite {
  size_t begin, end;
  std::string text;
};

// Where a node's scalar starts: past its tag and anchor.
size_t scalar_start(std::string_view t, size_t p) {
  while (p < t.size() && (t[p] == '!' || t[p] == '&')) {
    while (p < t.size() && !blank(t[p]) && t[p] != '\n') ++p;
    while (p < t.size() && (blank(t[p]) || t[p] == '\n')) ++p;
  }
  return p;
}

// `parent`: the column of the block collection holding `node` (-1 at the
// top), which a block scalar's explicit indentation counts from.
void collect_rewrites(const YAML::Node& node, int parent, const LineBreaks& lb, std::string_view masked,
                      std::set<size_t>& seen, std::vector<Rewrite>& out) {
  if (node.IsMap() || node.IsSequence()) {
    const int column = node.Style() == YAML::EmitterStyle::Block ? node.Mark().column : parent;
    if (node.IsMap()) {
      for (const auto& kv : node) {
        collect_rewrites(kv.first, column, lb, masked, seen, out);
        collect_rewrites(kv.second, column, lb, masked, seen, out);
      }
    } else {
      for (const auto& item : node) collect_rewrites(item, column, lb, masked, seen, out);
    }
    return;
  }
  if (!node.IsScalar() || node.Mark().pos < 0) return;
  const size_t p = scalar_start(masked, static_cast<size_t>(node.Mark().pos));
  if (p >= masked.size() || !seen.insert(p).second) return;
  size_t end = 0;
  std::optional<std::string> text;
  switch (masked[p]) {
    case '"':
    case '\'':
      text = requote_flow(lb, p, end);
      if (text && !lb.any_kept(p, end)) text.reset();
      break;
    case '|':
    case '>':
      text = requote_block(lb, p, parent, node.Scalar(), end);
      // A block scalar's indicator may stand at its key's column on the
      // line after it; a quoted scalar there would be a key without ':'.
      if (text) {
        const size_t nl = p == 0 ? std::string::npos : lb.text.rfind('\n', p - 1);
        const int column = static_cast<int>(p - (nl == std::string::npos ? 0 : nl + 1));
        if (column <= parent) text->insert(0, static_cast<size_t>(parent + 1 - column), ' ');
      }
      break;
    default:
      text = requote_plain(lb, masked, p, node.Scalar(), end);
  }
  if (text) out.push_back({p, end, std::move(*text)});
}

}  // namespace

namespace {

// A block scalar's header with a keep indicator or an indentation
// indicator (`>+`, `|2`, `>2+`), the forms yaml-cpp may read otherwise
// (it drops the blank lines a folded `>+` keeps): such a document's block
// scalars are read as PyYAML reads them.
bool has_block_indicators(std::string_view t) {
  for (size_t at = t.find_first_of(">|"); at != std::string_view::npos; at = t.find_first_of(">|", at + 1)) {
    size_t k = at + 1;
    if (k < t.size() && ((t[k] >= '1' && t[k] <= '9') || t[k] == '+')) return true;
  }
  return false;
}

}  // namespace

namespace {

// A sequence entry's dash alone on its line, its block scalar's `|` or `>`
// on the next line at the dash's column: PyYAML takes the block scalar as
// the entry's value (the sequence's indentation is not left), yaml-cpp
// ends the sequence there. The indicator is moved one column right, which
// changes nothing of the scalar (its indentation is its content's). The
// positions of LS and PS that follow move with it.
void indent_block_headers_after_dashes(LineBreaks& lb) {
  std::string& t = lb.text;
  size_t dash_column = std::string::npos;  // of the line before, when it is a lone dash
  for (size_t at = 0; at < t.size();) {
    size_t eol = t.find('\n', at);
    if (eol == std::string::npos) eol = t.size();
    size_t first = at;
    while (first < eol && t[first] == ' ') ++first;
    const size_t column = first - at;
    if (first < eol && (t[first] == '|' || t[first] == '>') && column == dash_column) {
      t.insert(first, 1, ' ');
      std::map<size_t, std::string_view> moved;
      for (const auto& [pos, ch] : lb.kept) moved.emplace(pos >= first ? pos + 1 : pos, ch);
      lb.kept = std::move(moved);
      ++eol;
    }
    size_t last = eol;
    while (last > first && (t[last - 1] == ' ' || t[last - 1] == '\r')) --last;
    // Blank lines between the dash and the indicator are passed over.
    if (last > first) dash_column = last == first + 1 && t[first] == '-' ? column : std::string::npos;
    at = eol + 1;
  }
}

}  // namespace

namespace {

// Surrogate escapes. PyYAML reads "\ud800" in a double-quoted scalar as a
// lone surrogate (and "\ud83d\ude00" as two), which yaml-cpp refuses
// ("invalid unicode"). Bora holds such a character as its three bytes
// (core/utf8.h), which yaml-cpp passes through: where yaml-cpp refuses an
// escape, every surrogate escape from there to the end of that scalar is
// written as those bytes, and the text is read again. Only double-quoted
// scalars decode escapes, and yaml-cpp says which one it was in; at most
// kMaxSurrogateScalars scalars are rewritten, so that a document made of
// them cannot make the reading quadratic (beyond that, yaml-cpp's refusal
// stands).
constexpr int kMaxSurrogateScalars = 16;

// The code point of the \uXXXX or \UXXXXXXXX escape at text[i], if it is one.
std::optional<std::pair<uint32_t, size_t>> unicode_escape_at(std::string_view text, size_t i) {
  if (i + 1 >= text.size() || text[i] != '\\' || (text[i + 1] != 'u' && text[i + 1] != 'U')) return std::nullopt;
  size_t digits = text[i + 1] == 'u' ? 4 : 8;
  if (i + 2 + digits > text.size()) return std::nullopt;
  uint32_t cp = 0;
  for (size_t k = i + 2; k < i + 2 + digits; ++k) {
    int h = ascii_hex_value(text[k]);
    if (h < 0 || cp > 0x10FFFF) return std::nullopt;
    cp = cp * 16 + static_cast<uint32_t>(h);
  }
  return std::make_pair(cp, 2 + digits);
}

bool is_surrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

bool might_hold_surrogate_escape(std::string_view text) {
  for (size_t at = text.find('\\'); at != std::string_view::npos; at = text.find('\\', at + 1))
    if (auto e = unicode_escape_at(text, at); e && is_surrogate(e->first)) return true;
  return false;
}

// The scalar's surrogate escapes from `from` (an escape yaml-cpp refused) to
// its closing quote, written as the characters' bytes; false when there is
// no such escape at `from`.
bool read_surrogate_escapes(std::string& text, size_t from) {
  auto first = unicode_escape_at(text, from);
  if (!first || !is_surrogate(first->first)) return false;
  std::string out;
  size_t i = from;
  while (i < text.size() && text[i] != '"') {
    if (text[i] != '\\') {
      out += text[i++];
      continue;
    }
    if (auto e = unicode_escape_at(text, i); e && is_surrogate(e->first)) {
      append_utf8(out, e->first);
      i += e->second;
      continue;
    }
    out.append(text, i, std::min<size_t>(2, text.size() - i));  // another escape: as it is
    i += 2;
  }
  text.replace(from, std::min(i, text.size()) - from, out);
  return true;
}

std::string surrogate_escapes_read(std::string_view given, YamlFlavour flavour) {
  std::string text(given);
  if (!might_hold_surrogate_escape(text)) return text;
  for (int scalars = 0; scalars < kMaxSurrogateScalars; ++scalars) {
    try {
      YAML::Load(flavour == YamlFlavour::mistral_safe_loader ? mask_mistral_plain_indicators(text) : text);
      return text;
    } catch (const YAML::Exception& e) {
      // yaml-cpp's mark is the byte after the refused escape.
      if (e.msg.rfind("invalid unicode", 0) != 0 || e.mark.pos < 6) return text;
      size_t end = static_cast<size_t>(e.mark.pos);
      size_t from = end >= 10 && text[end - 9] == 'U' && unicode_escape_at(text, end - 10) ? end - 10 : end - 6;
      if (!read_surrogate_escapes(text, from)) return text;
    }
  }
  return text;
}

}  // namespace

std::string pyyaml_prepared_text(std::string_view given, YamlFlavour flavour) {
  const std::string with_surrogates = surrogate_escapes_read(given, flavour);
  std::string_view text = with_surrogates;
  const bool breaks = text.find(kNel) != std::string_view::npos || text.find(kLs) != std::string_view::npos ||
                      text.find(kPs) != std::string_view::npos;
  LineBreaks lb;
  if (breaks) {
    lb = read_line_breaks(text);
  } else {
    lb.text = std::string(text);
  }
  indent_block_headers_after_dashes(lb);
  if (lb.kept.empty() && !has_block_indicators(lb.text)) return std::move(lb.text);
  const std::string masked =
      flavour == YamlFlavour::mistral_safe_loader ? mask_mistral_plain_indicators(lb.text) : lb.text;
  std::vector<Rewrite> rewrites;
  try {
    std::set<size_t> seen;
    collect_rewrites(YAML::Load(masked), -1, lb, masked, seen, rewrites);
  } catch (const YAML::Exception&) {
    // Not a document either way: the caller's parse says where.
    return std::move(lb.text);
  }
  std::sort(rewrites.begin(), rewrites.end(), [](const Rewrite& a, const Rewrite& b) { return a.begin < b.begin; });
  std::string out;
  size_t at = 0;
  for (const Rewrite& r : rewrites) {
    if (r.begin < at) continue;  // inside one already written (cannot happen for scalars)
    out.append(lb.text, at, r.begin - at);
    out += r.text;
    at = r.end;
  }
  out.append(lb.text, at);
  return out;
}

}  // namespace bora
