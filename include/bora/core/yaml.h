// core/yaml: YAML text -> Value with the scalar rules of PyYAML's safe_load
// (YAML 1.1), which is what Mistral uses: `yes`/`on` are booleans, `1e3` is
// a string but `1.0e+3` a float, `0o17`/`017` octal, `~` null.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace YAML {
class Node;
}

namespace bora {

constexpr size_t kYamlMaxDepth = 1000;

// How a document is read. Standard: PyYAML's safe_load (yaml_parse(), policy
// files). Mistral's SafeLoader (mistral.utils.safe_yaml), which Mistral
// reads definitions and event definitions with: an anchor `&`, an alias
// `*` and `@` start a plain scalar where a token starts, so `a: &x [1, 2]`
// is the text '&x [1, 2]', `- *.log` the text '*.log' and `* * * * *` a
// text, never an anchor, an alias or an error (its guard against "billion
// laughs"); a plain scalar that is exactly `*` or `&` has PyYAML's
// tag:yaml.org,2002:yaml, which no constructor takes.
enum class YamlFlavour { standard, mistral_safe_loader };

// Parses a YAML document. Errors carry line:column (1-based).
Result<Value> parse_yaml(std::string_view text, YamlFlavour flavour = YamlFlavour::standard);

// yaml-cpp cannot be told to read `&`, `*` and `@` as Mistral's SafeLoader
// does: the text is masked before it is parsed (each of these characters
// replaced by a byte that never occurs in UTF-8 text, one byte for one,
// so that every position stays, and that yaml-cpp reads as a plain
// character), and each scalar is unmasked once read.
std::string mask_mistral_plain_indicators(std::string_view text);
void unmask_mistral_plain_indicators(std::string& scalar);

// The tag of a node that PyYAML's SafeLoader has no constructor for, as
// PyYAML names it ("could not determine a constructor for the tag '...'"),
// or nullopt: an explicit tag other than the YAML types SafeConstructor
// builds (`!custom`, `!!python/name:...`, a %TAG prefix), a plain `=`
// (tag:yaml.org,2002:value) that is not a key, and, as Mistral's loader
// reads, a plain `*` or `&` alone (tag:yaml.org,2002:yaml).
std::optional<std::string> pyyaml_unconstructible_tag(const YAML::Node& node, YamlFlavour flavour, bool is_key);

// What PyYAML's SafeConstructor raises for an explicitly tagged scalar it
// cannot read, in Python's words (Mistral answers them as they are, with a
// 500): `!!bool maybe` ('maybe', its KeyError), `!!int abc` (invalid
// literal for int() with base 10: 'abc'), `!!float abc`, `!!timestamp abc`,
// `!!binary` of bad base64; and a plain timestamp that is no date
// (2020-13-01: month must be in 1..12). nullopt: it reads.
std::optional<std::string> pyyaml_scalar_construct_error(const YAML::Node& node, const std::string& text);

// Python's repr() of what PyYAML's SafeLoader makes of a node that is no
// JSON type, where Bora reads text (or, for a set, a mapping): a plain or
// !!timestamp timestamp (datetime.date(2020, 1, 1)), !!binary (b'hello'),
// !!set ({'a', 'b'}, in document order). nullopt for every other node.
// Mistral refuses them in a definition (its schemas and its storage take
// none), so the definition loader does too.
std::optional<std::string> pyyaml_object_repr(const YAML::Node& node, const std::string& text);

// The text to give yaml-cpp so that it reads what PyYAML reads
// (src/core/yaml_prepared_text.cpp). PyYAML's line breaks are '\n',
// '\r\n', '\r', NEL (U+0085), LS (U+2028) and PS (U+2029), and yaml-cpp
// reads the last three as characters: each is made a line break (a plain
// scalar or a comment ends there; line numbers count as PyYAML's). A
// scalar yaml-cpp would still read otherwise is written again as a
// double-quoted scalar with PyYAML's content: one an LS or PS line break
// runs through (LS and PS are kept where a '\n' would fold: `"x<LS>  y"`,
// a plain `x<LS>  y` and a block's `x<LS>  y` read 'x\u2028y'), and a
// folded block scalar keeping its trailing blank lines (`>+`). `flavour`
// is how the text will be read.
std::string pyyaml_prepared_text(std::string_view text, YamlFlavour flavour);

// yaml-cpp writes the double-quoted escapes \N and \_ as the single bytes
// 0x85 and 0xA0, which are not UTF-8; they are U+0085 and U+00A0.
void repair_yaml_cpp_escapes(std::string& scalar);

// PyYAML's stream rules, which yaml-cpp does not keep (it takes the first
// document and passes over a '%' line): safe_load takes exactly one
// document, and a line starting with '%' is a directive, which must come
// before the `---` that starts the document. The first rule broken, with
// its line and column (1-based), or nullopt.
struct YamlStreamProblem {
  int line = 0, column = 0;
  std::string message;
  std::string pyyaml_words;  // PyYAML's own first words, when Bora's differ
};
std::optional<YamlStreamProblem> pyyaml_stream_problem(std::string_view text);

// The first line of PyYAML's error (its context, "while parsing a flow
// sequence", or its problem) for a text yaml-cpp refused with `message` at
// line:column (0-based, yaml-cpp's mark); empty when it cannot be told
// (src/core/yaml_error_words.cpp).
std::string pyyaml_error_words(std::string_view message, int line, int column, std::string_view text);
// The first line of PyYAML's error for a mapping key that yaml-cpp read as
// a list or a mapping at line:column (0-based): "while constructing a
// mapping" where PyYAML builds such a key (an explicit `? ` key, a flow
// collection followed by ':' on its line), else the block collection's
// words, as PyYAML's parser takes no such key.
std::string pyyaml_collection_key_words(std::string_view text, int line, int column);
// The closing quote of the quoted scalar whose quote (`'` or `"`) is at
// `open`, as PyYAML's scanner reads it, or npos when the text ends first.
size_t pyyaml_quoted_end(std::string_view text, size_t open);
// PyYAML's name for the token at `at` (`<scalar>`, `<block mapping start>`,
// `<stream end>`, ...); a key may start one only where simple keys are
// allowed (not on the line after a directive).
std::string pyyaml_token_name(std::string_view text, size_t at, bool simple_key_allowed);

// Structure PyYAML refuses that yaml-cpp reads (src/core/yaml_structure.cpp).
// A key alone on its line without its ':' in a block mapping (`publish`
// under a task): yaml-cpp makes it a key with a null value, PyYAML stops
// ("while scanning a simple key"). pyyaml_key_lacks_colon: whether the key
// whose node starts at `at` in the text yaml-cpp read has no ':';
// pyyaml_lone_key_line: the line (and column) of such a key at or just
// before the line yaml-cpp failed on, where it took the key as a plain
// scalar going on. pyyaml_value_not_indented: whether a block mapping's
// value (other than a block sequence) starts on a line after its key's
// and no deeper than the key (`a:` then `'x'` or `{b: 1}` at column 0),
// which yaml-cpp takes as the key's value and PyYAML scans as a key
// without ':' (not a block scalar's `|` or `>`, nor an explicit `? key`'s
// value). pyyaml_block_mapping_problem: the first of either under
// `root`, or a mapping entry with no key (`: value`, which yaml-cpp
// gives a null key).
bool pyyaml_key_lacks_colon(std::string_view text, size_t at);
bool pyyaml_value_not_indented(const YAML::Node& key, const YAML::Node& value, std::string_view text);
// An explicit key (`?` alone on its line) written on the next line no
// deeper than the `?`: PyYAML scans it as a key without ':'.
bool pyyaml_explicit_key_not_indented(const YAML::Node& key, std::string_view text);
// The first of the three for one entry of a block mapping (PyYAML's
// words in pyyaml_words, Bora's in message), or nullopt.
std::optional<YamlStreamProblem> pyyaml_block_entry_problem(const YAML::Node& key, const YAML::Node& value,
                                                           std::string_view text);
std::optional<YamlStreamProblem> pyyaml_block_mapping_problem(const YAML::Node& root, std::string_view text);
std::optional<std::pair<int, int>> pyyaml_lone_key_line(std::string_view text, int failed_line);
// The one document of `text`. YAML::Load reads the first document and
// drops what follows where yaml-cpp starts another without `---` (a
// top-level list followed by a line `c`, `[1]` followed by `2`); PyYAML
// refuses such a text, and so does this (a YAML::ParserException where
// the second one starts).
YAML::Node load_pyyaml_document(const std::string& text);

// A mapping's pairs as PyYAML's SafeConstructor.flatten_mapping gives
// them, which yaml-cpp does not do: a plain `<<` key merges the mapping
// (or each mapping of a list, the first winning) it holds, its pairs
// before the mapping's own, so that the mapping's own keys win. What
// cannot be merged (a scalar, a list holding one) is PyYAML's "while
// constructing a mapping" error: `message` and where the value is
// (1-based), and no pairs.
struct YamlMappingPairs {
  std::vector<std::pair<YAML::Node, YAML::Node>> pairs;
  size_t merged = 0;  // how many of the pairs, first, came from `<<`
  std::string error;  // empty: merged
  int line = 0, column = 0;
};
YamlMappingPairs yaml_mapping_pairs(const YAML::Node& mapping);

// Converts a yaml-cpp node (already parsed) to a Value; throws BoraError
// (BadInput) for what a Value cannot hold (e.g. non-scalar dict keys).
Value yaml_node_to_value(const YAML::Node& node, size_t depth = 0,
                         YamlFlavour flavour = YamlFlavour::standard);
// A mapping key's node the same way (a plain `=` key is the text "=", as
// flatten_mapping makes it).
Value yaml_key_to_value(const YAML::Node& key, YamlFlavour flavour = YamlFlavour::standard);

// A parsed document past a size limit, found before converting it.
struct YamlLimitHit {
  enum Kind { None, Nodes, Depth } kind = None;
  int line = 0, column = 0;  // 1-based, where the limit was hit
};

// Measures a parsed document as converting it would see it: every alias
// counts its target's nodes again (yaml-cpp shares aliased nodes, so a
// "billion laughs" document is small in memory but huge once converted),
// and nesting counts through aliases too. Runs in time proportional to the
// distinct nodes (an aliased node is measured once), so a hostile document
// is refused in milliseconds, before any conversion. Map keys are not
// counted (they are scalars, or refused when converting).
YamlLimitHit check_yaml_extent(const YAML::Node& root, size_t max_nodes, size_t max_depth);

// Largest expanded node count parse_yaml() converts.
constexpr size_t kYamlMaxNodes = 1'000'000;

// A Value as block YAML in the layout of PyYAML's safe_dump
// (sort_keys=False); reading it back with parse_yaml gives the same Value.
// strings_are_text: every string is a Python str, so one PyYAML's resolver
// reads as a date or a datetime is quoted ('2024-02-29'), as safe_dump
// quotes a str (yaml_dump() of expression data). Off, such a string is
// written plain, as PyYAML writes the date it loaded it as (a definition
// read from YAML, where Bora keeps `2024-02-29` as text).
std::string to_yaml(const Value& v, bool strings_are_text = false);

// A date or datetime the expression engines hand to to_yaml: a dict
// holding only this key, whose value is the text PyYAML's timestamp
// representer writes (isoformat, with ' ' between date and time). to_yaml
// writes that text plain (`a: 2024-02-29`), as safe_dump writes a date;
// as a typed key ('\x02' and its JSON) it is the key `2024-02-29:`.
inline constexpr const char* kYamlTimestampKey = "\x01yaml-timestamp";

// Resolves an unquoted (plain) scalar as PyYAML's implicit resolvers do.
Value resolve_plain_scalar(const std::string& text);

}  // namespace bora
