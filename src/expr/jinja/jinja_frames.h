// expr/jinja/jinja_frames: which names each frame of a template starts
// without, as Jinja's compiler decides it (jinja2/idtracking.py's rules,
// written anew for Bora's tree).
//
// Jinja resolves names per frame when it compiles: the template's top
// level, a loop's body, a loop's else, a macro's or a call block's body, a
// with, a filter block and a set block each have their own. A name a frame
// reads before it stores it is taken from the context (`_`, Mistral's
// functions, the globals) or from the enclosing frame that knows it; a
// name it stores before any read, and that no enclosing frame knows,
// starts `missing`: until the frame's own `{% set %}` runs, every read of
// it (from a loop's body, a macro called earlier) is "'name' is
// undefined", even when the context has it (`{% for i in l %}{{ _.a }}{%
// endfor %}{% set _ = 1 %}` fails). A store in only some branches of an
// `if` (body, elifs, else) makes the name read from the context again.
#pragma once

#include <string>
#include <vector>

#include "jinja_ast.h"

namespace bora::expr::jinja {

// Fills each frame statement's `unset` (and a For's `unset_else`) and
// returns the template's own (its top level's).
std::vector<std::string> analyze_frames(std::vector<StmtPtr>& body);

}  // namespace bora::expr::jinja
