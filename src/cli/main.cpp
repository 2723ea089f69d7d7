// The charter command-line tool: argument parsing and exit codes only. Uses the public
// library API like any outside user.
#include <charter/charter.hpp>
#include <charter/render.hpp>

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;

namespace {

constexpr int kOk = 0, kFindings = 1, kUsage = 2;

struct Common {
  std::vector<std::string> paths;
  bool strict = false;
  std::vector<std::string> disable, warn;
  std::string color = "auto";
};

int usage_error(const std::string& msg) {
  std::cerr << "charter: " << msg << "\n";
  return kUsage;
}

// Paths that do not exist or cannot be opened are usage errors (exit 2).
int check_paths(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return usage_error("`" + p + "`: no such file or directory");
    if (fs::is_directory(st)) {
      fs::directory_iterator it(p, ec);
      if (ec) return usage_error("`" + p + "`: cannot open directory: " + ec.message());
    } else {
      std::ifstream f(p, std::ios::binary);
      if (!f) return usage_error("`" + p + "`: cannot open file");
    }
  }
  return kOk;
}

int check_codes(const std::vector<std::string>& codes, const char* flag) {
  for (const auto& c : codes)
    if (!charter::describe_code(c))
      return usage_error(std::string(flag) + ": unknown diagnostic code `" + c + "` (see `charter explain --list`)");
  return kOk;
}

charter::LoadOptions options_of(const Common& c) {
  charter::LoadOptions o;
  o.strict = c.strict;
  o.disable = c.disable;
  o.warn = c.warn;
  return o;
}

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("path", c.paths, "Charter files or directories (default: .)");
  cmd->add_flag("--strict", c.strict, "Turn on rules that are off by default (missing translations)");
  // One code per flag (repeat the flag for more), so that paths after it stay paths.
  cmd->add_option("--disable", c.disable, "Drop diagnostics with this code (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--warn", c.warn, "Report this code as a warning (repeatable)")
      ->type_name("CODE")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

std::vector<fs::path> as_paths(const std::vector<std::string>& v) {
  std::vector<fs::path> out;
  for (auto& s : v) out.emplace_back(s);
  if (out.empty()) out.emplace_back(".");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"charter: one shared, machine-checked vocabulary for sales and marketing"};
  app.name("charter");
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");

  // validate
  Common v;
  std::string format = "text", fail_on = "error";
  auto* validate = app.add_subcommand("validate", "Check a charter and report every problem");
  add_common(validate, v);
  validate->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  validate->add_option("--fail-on", fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning"}));
  validate->add_option("--color", v.color, "Colour in text output")->check(CLI::IsMember({"auto", "always", "never"}));

  // explain
  std::string code;
  bool list = false;
  auto* explain = app.add_subcommand("explain", "Print the documentation of a diagnostic code");
  explain->add_option("code", code, "A code such as CH0301");
  explain->add_flag("--list", list, "List every code");

  // export
  Common ex;
  std::string export_format = "json";
  auto* exp = app.add_subcommand("export", "Print the resolved, merged model");
  add_common(exp, ex);
  exp->add_option("--format", export_format, "Output format")->check(CLI::IsMember({"json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  if (show_version) {
    std::cout << "charter " << charter::version() << "\n";
    return kOk;
  }

  if (*validate) {
    if (int rc = check_paths(v.paths)) return rc;
    if (int rc = check_codes(v.disable, "--disable")) return rc;
    if (int rc = check_codes(v.warn, "--warn")) return rc;
    auto result = charter::load_charter(as_paths(v.paths), options_of(v));
    auto fmt = *charter::parse_output_format(format);
    charter::RenderOptions ro;
    ro.color = v.color == "always" || (v.color == "auto" && charter::stdout_wants_color());
    charter::render(std::cout, fmt, result, ro);
    if (fmt == charter::OutputFormat::Github) {
      if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
        if (!charter::append_markdown_summary(summary, result))
          std::cerr << "charter: cannot append to $GITHUB_STEP_SUMMARY (" << summary << ")\n";
    }
    auto threshold = fail_on == "warning" ? charter::Severity::Warning : charter::Severity::Error;
    int rc = charter::count_at_least(result.diagnostics(), threshold) > 0 ? kFindings : kOk;
    // A large charter takes a while to free; the process is ending, so skip that.
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(std::cout.good() ? rc : kUsage);
  }

  if (*explain) {
    if (list || code.empty()) {
      if (!list) return usage_error("explain: give a code such as CH0301, or --list");
      for (const auto& c : charter::all_codes())
        std::cout << c.code << "  " << charter::to_string(c.severity) << "  " << c.title << "\n";
      return kOk;
    }
    std::string up = code;
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const auto* info = charter::describe_code(up);
    if (!info) return usage_error("explain: unknown code `" + code + "` (see `charter explain --list`)");
    std::cout << info->code << ": " << info->title << "\n\n";
    std::cout << "Default severity: " << charter::to_string(info->severity)
              << (info->enabled_by_default ? "" : " (off by default; on with --strict)") << "\n\n";
    std::cout << info->explanation << "\n";
    if (!info->example.empty()) {
      std::cout << "\nExample:\n\n";
      std::string ex_text(info->example);
      std::size_t b = 0;
      while (b < ex_text.size()) {
        auto e = ex_text.find('\n', b);
        if (e == std::string::npos) e = ex_text.size();
        std::cout << "    " << ex_text.substr(b, e - b) << "\n";
        b = e + 1;
      }
      auto result = charter::load_charter_from_string(info->example, "example.yaml");
      bool shows_code = false;
      for (const auto& d : result.diagnostics()) shows_code |= d.code == info->code;
      if (shows_code) {  // multi-file examples (includes) cannot be shown from one string
        std::cout << "\n";
        charter::render(std::cout, charter::OutputFormat::Text, result, {});
      }
    }
    return kOk;
  }

  if (*exp) {
    if (int rc = check_paths(ex.paths)) return rc;
    if (int rc = check_codes(ex.disable, "--disable")) return rc;
    if (int rc = check_codes(ex.warn, "--warn")) return rc;
    auto result = charter::load_charter(as_paths(ex.paths), options_of(ex));
    if (!result.ok()) {
      charter::RenderOptions ro;
      ro.color = charter::stderr_wants_color();
      charter::render(std::cerr, charter::OutputFormat::Text, result, ro);
      return kFindings;
    }
    charter::export_json(std::cout, result.charter());
    return kOk;
  }

  std::cout << app.help();
  return kOk;
}
