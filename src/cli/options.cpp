#include "options.h"

namespace bora::cli {

Result<ParsedOptions> parse_options(const Args& args, const std::set<std::string>& with_value,
                                    const std::set<std::string>& flags, const std::string& command) {
  ParsedOptions out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      for (++i; i < args.size(); ++i) out.positional.push_back(args[i]);
      break;
    }
    if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::string name = a, value;
      bool inline_value = false;
      if (size_t eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        inline_value = true;
      }
      if (name == "-h") name = "--help";
      if (flags.count(name)) {
        out.flags.insert(name);
        continue;
      }
      if (with_value.count(name)) {
        if (!inline_value) {
          if (i + 1 >= args.size()) {
            return bad_input("option " + name + " needs a value; see 'bora " + command + " --help'");
          }
          value = args[++i];
        }
        out.values[name] = value;
        continue;
      }
      return bad_input("unknown option " + name + " for 'bora " + command + "'; see 'bora " + command + " --help'");
    }
    out.positional.push_back(a);
  }
  return out;
}

}  // namespace bora::cli
