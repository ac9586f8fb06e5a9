// expr/yaql/ast: the parsed form of a YAQL expression. Nodes are immutable
// after parsing and shared by every evaluation of the compiled program.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bora/core/value.h"
#include "signatures.h"

namespace bora::expr::yaql {

struct Node;
using NodePtr = std::unique_ptr<Node>;

enum class NodeKind {
  Constant,      // a literal: number, string, true/false/null
  Keyword,       // a bare word (`key` in `$.key`, `name` in `name => v`)
  Variable,      // `$` or `$name`
  Unary,         // op, args[0]
  Binary,        // op, args[0], args[1]
  Call,          // name(args...), a function call
  Index,         // args[0][args[1..]]
  ListLiteral,   // [args...]
  DictLiteral,   // {k => v, ...}: args are MappingRule nodes
  MappingRule,   // args[0] => args[1] (a keyword argument or a dict entry)
  Wrap,          // (args[0])
};

struct Node {
  NodeKind kind;
  std::string text;  // operator, function or variable name, keyword
  Value value;       // Constant
  std::vector<NodePtr> args;
  size_t position = 0;  // offset in the source, for messages
  int height = 1;       // 1 + the tallest argument: the parser refuses trees taller than the limit
  // Call: yaql's overloads of this name, looked up once when parsed (the
  // check a call passes before it runs: signatures.cpp).
  Overloads overloads;
};

}  // namespace bora::expr::yaql
